using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Webhooks;

/// <summary>
/// The real server is killed (SIGKILL) with events in its outbox that its receiver has not accepted yet;
/// after a restart every event reaches the (now healthy) receiver exactly once, counted by event id.
/// </summary>
public sealed class WebhookCrashTests : IDisposable
{
    private const int Events = 25;
    private readonly TempDatabase _database = new();

    private Dictionary<string, string> ServerEnvironment() => new(ServerProcess.ProductionEnvironment(_database.ConnectionString))
    {
        ["Webhooks__AllowPrivateTargets"] = "true",
        // A dead worker's claims are taken over this soon.
        ["Webhooks__Lease"] = "00:00:03",
        ["Webhooks__PollInterval"] = "00:00:00.500",
    };

    [Fact]
    public async Task After_a_kill_and_a_restart_every_queued_event_arrives_exactly_once()
    {
        var token = await AgencyOwnerTokenAsync();
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/hooks";
        var names = Enumerable.Range(0, Events).Select(i => $"crash-{i}").ToList();

        var server = await ServerProcess.StartAsync(ServerEnvironment());
        using (var client = server.ClientWith(token))
        {
            // Nothing listens on the port yet: every first attempt fails and waits for its retry.
            var created = await client.SendAsync(Post("/api/v1/webhook-endpoints", new { url, events = new[] { "client.created" } }));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            foreach (var name in names)
            {
                Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post("/api/v1/clients", new { name }))).StatusCode);
            }
        }

        await server.DisposeAsync(); // SIGKILL with every event still undelivered
        await using var receiver = await WebhookReceiver.StartAsync(port);
        await using var restarted = await ServerProcess.StartAsync(ServerEnvironment());
        using var owner = restarted.ClientWith(token);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (receiver.AcceptedById.Count < Events && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        // Anything sent twice would arrive within a lease or two more.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(Events, receiver.AcceptedById.Count);
        Assert.All(receiver.AcceptedById, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(Events, receiver.Received.Count);
        Assert.Equal(names.Order(), receiver.Received.Select(r => r.Json.GetProperty("data").GetProperty("client").GetProperty("name").GetString()!).Order());
    }

    private async Task<string> AgencyOwnerTokenAsync()
    {
        var created = (await AppProcess.RunCliAsync(_database.ConnectionString, "workspaces", "create", "--name", "Crash hooks", "--plan", "agency", "--owner-email", "crash-hooks@example.com")).Json;
        var minted = (await AppProcess.RunCliAsync(_database.ConnectionString, "tokens", "mint", "--workspace", created.GetProperty("workspaceId").GetString()!,
            "--member", created.GetProperty("ownerMemberId").GetString()!, "--name", "hooks")).Json;
        return minted.GetProperty("token").GetString()!;
    }

    private static HttpRequestMessage Post(string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _database.Dispose();
}
