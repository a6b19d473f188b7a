using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Cluster;

/// <summary>
/// One instance is SIGKILLed while keyed POSTs stream through nginx: no acknowledged write is lost,
/// and retrying each failed request with its own key leaves exactly one resource per key.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterCrashTests(ClusterFixture cluster)
{
    private const int Senders = 6;
    // POSTs still sent after the kill has happened, so the kill lands mid-load however fast this machine is.
    private const int AfterKill = 60;
    // Acknowledged POSTs before the kill (or POSTs sent, should too few succeed).
    private const int KillAfterAcknowledged = 20;
    private const int KillAfterSent = 200;

    [Fact]
    public async Task Killing_an_instance_under_load_loses_no_acknowledged_write_and_retries_create_each_resource_once()
    {
        var workspace = await cluster.CreateWorkspaceAsync("agency");
        using var client = ClusterFixture.Client(ClusterFixture.Proxy, workspace.Token);
        var run = Guid.NewGuid().ToString("N")[..8];
        var sent = new ConcurrentQueue<string>();
        var acknowledged = new ConcurrentDictionary<string, string>(); // key → id of the created client
        var failed = new ConcurrentDictionary<string, string>(); // key → what went wrong
        var next = -1;
        var kill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = -1; // POSTs started when the kill had happened

        try
        {
            var killer = Task.Run(async () =>
            {
                await kill.Task;
                try
                {
                    await cluster.ScriptAsync("kill", "2");
                }
                finally
                {
                    // Also when the kill failed: the senders stop, and the failure is the test's.
                    Volatile.Write(ref killed, Volatile.Read(ref next));
                }
            });

            var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    var at = Volatile.Read(ref killed);
                    var i = Interlocked.Increment(ref next);
                    if (at >= 0 && i >= at + AfterKill)
                    {
                        return;
                    }

                    if (i >= KillAfterSent)
                    {
                        kill.TrySetResult();
                    }

                    var key = $"{run}-{i}";
                    sent.Enqueue(key);
                    try
                    {
                        using var response = await client.SendAsync(ClusterFixture.PostClient(key, key));
                        if (response.IsSuccessStatusCode)
                        {
                            acknowledged[key] = (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
                            if (acknowledged.Count >= KillAfterAcknowledged)
                            {
                                kill.TrySetResult();
                            }
                        }
                        else
                        {
                            failed[key] = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                    catch (HttpRequestException e)
                    {
                        failed[key] = e.Message;
                    }
                }
            })).ToList();
            await Task.WhenAll(senders.Append(killer));

            // The instance is gone: its port refuses connections.
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, 58082));
            }

            // A client retries what failed with the same key; 409 "in progress" is a killed request's
            // lease (2 s here), which the retry waits out.
            foreach (var key in failed.Keys)
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                HttpResponseMessage response;
                while ((response = await client.SendAsync(ClusterFixture.PostClient(key, key))).StatusCode == HttpStatusCode.Conflict && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250));
                }

                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            var names = await AllClientNamesAsync(client);
            Assert.Equal(sent.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
            foreach (var (key, id) in acknowledged)
            {
                using var response = await client.GetAsync($"/api/v1/clients/{id}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(key, (await response.ReadJsonAsync()).GetProperty("data").GetProperty("name").GetString());
            }
        }
        finally
        {
            // The other tests need both instances.
            await cluster.ScriptAsync("restart", "2");
        }
    }

    private static async Task<List<string>> AllClientNamesAsync(HttpClient client)
    {
        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = JsonDocument.Parse(await client.GetStringAsync("/api/v1/clients?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)))).RootElement;
            names.AddRange(page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));
            cursor = page.GetProperty("pagination").GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return names;
    }
}
