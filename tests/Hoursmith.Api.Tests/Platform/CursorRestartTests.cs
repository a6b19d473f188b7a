using System.Text;
using System.Text.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// With no <c>Hoursmith:CursorSecret</c> configured, the signing key lives in the database: a
/// cursor issued before the server restarts still pages after it (a real process, stopped and started).
/// </summary>
public sealed class CursorRestartTests : IDisposable
{
    private readonly TempDatabase _database = new();

    private Dictionary<string, string> ServerEnvironment() => new(ServerProcess.ProductionEnvironment(_database.ConnectionString))
    {
        ["Hoursmith__CursorSecret"] = "",
    };

    [Fact]
    public async Task A_cursor_issued_before_a_restart_pages_after_it()
    {
        var token = await AppProcess.OwnerTokenAsync(_database.ConnectionString, "Restart");

        string cursor;
        var server = await ServerProcess.StartAsync(ServerEnvironment());
        await using (server)
        {
            using var client = server.ClientWith(token);
            foreach (var name in new[] { "First", "Second", "Third" })
            {
                using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients") { Content = new StringContent(JsonSerializer.Serialize(new { name }), Encoding.UTF8, "application/json") };
                post.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                Assert.Equal(201, (int)(await client.SendAsync(post)).StatusCode);
            }

            var first = JsonDocument.Parse(await client.GetStringAsync("/api/v1/clients?sort=name&limit=1")).RootElement;
            Assert.Equal("First", first.GetProperty("data")[0].GetProperty("name").GetString());
            cursor = first.GetProperty("pagination").GetProperty("nextCursor").GetString()!;
        }

        await using var restarted = await ServerProcess.StartAsync(ServerEnvironment());
        using var again = restarted.ClientWith(token);
        var response = await again.GetAsync($"/api/v1/clients?sort=name&limit=1&cursor={cursor}");

        Assert.Equal(200, (int)response.StatusCode);
        var next = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Second", next.GetProperty("data")[0].GetProperty("name").GetString());
    }

    public void Dispose() => _database.Dispose();
}
