using System.Net;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// A real server process is killed (SIGKILL) while keyed POSTs are in flight; after a restart,
/// retrying every key yields exactly one resource per key — never none after a 201, never two.
/// </summary>
public sealed class IdempotencyCrashTests : IDisposable
{
    private const int Keys = 40;
    private readonly TempDatabase _database = new();

    private Dictionary<string, string> ServerEnvironment() => new(ServerProcess.ProductionEnvironment(_database.ConnectionString))
    {
        // A crashed request's key is held this long before a retry may take it over.
        ["Idempotency__Lease"] = "00:00:01",
    };

    [Fact]
    public async Task Retrying_every_key_after_a_crash_yields_exactly_one_resource_per_key()
    {
        var token = await AppProcess.OwnerTokenAsync(_database.ConnectionString, "Crash");
        var keys = Enumerable.Range(0, Keys).Select(i => $"crash-{i}").ToList();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();

        var server = await ServerProcess.StartAsync(ServerEnvironment());
        using (var client = server.ClientWith(token))
        {
            var sending = Task.WhenAll(keys.Select(async key =>
            {
                try
                {
                    if ((await client.SendAsync(Post(key))).StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add(key);
                    }
                }
                catch (HttpRequestException)
                {
                    // The server died under this request.
                }
            }));
            await Task.Delay(TimeSpan.FromMilliseconds(150));
            await server.DisposeAsync(); // SIGKILL, mid-stream
            await sending;
        }

        await using (var restarted = await ServerProcess.StartAsync(ServerEnvironment()))
        {
            using var client = restarted.ClientWith(token);
            foreach (var key in keys)
            {
                HttpResponseMessage response;
                var attempts = 0;
                // 409 "in progress" is a crashed request's lease: wait for it to run out, as a client would.
                while ((response = await client.SendAsync(Post(key))).StatusCode == HttpStatusCode.Conflict && ++attempts < 50)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }

                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            var names = new List<string>();
            string? cursor = null;
            do
            {
                var page = JsonDocument.Parse(await client.GetStringAsync("/api/v1/clients?limit=200" + (cursor is null ? "" : "&cursor=" + cursor))).RootElement;
                names.AddRange(page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));
                cursor = page.GetProperty("pagination").GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);

            foreach (var key in keys)
            {
                Assert.Equal(1, names.Count(n => n == key));
            }

            Assert.Equal(Keys, names.Count);
            Assert.All(acknowledged, key => Assert.Contains(key, names));
        }
    }

    private static HttpRequestMessage Post(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { name = key }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    public void Dispose() => _database.Dispose();
}
