using System.Net;
using System.Net.Http.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Cluster;

/// <summary>
/// Two instances, two delivery workers, one outbox on PostgreSQL: each delivery is claimed by one
/// worker (FOR UPDATE SKIP LOCKED under a lease), so every event reaches the receiver exactly once.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterWebhookTests(ClusterFixture cluster)
{
    private const int Events = 500;

    [Fact]
    public async Task Five_hundred_events_made_on_both_instances_are_each_delivered_exactly_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var workspace = await cluster.CreateWorkspaceAsync("agency");
        using var proxy = ClusterFixture.Client(ClusterFixture.Proxy, workspace.Token);
        var endpoint = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhook-endpoints") { Content = JsonContent.Create(new { url = receiver.Url, events = new[] { "client.created" } }) };
        endpoint.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, (await proxy.SendAsync(endpoint)).StatusCode);

        // Half the changes on each instance: both workers are woken by their own commits and poll for the other's.
        using var a = ClusterFixture.Client(ClusterFixture.InstanceA, workspace.Token);
        using var b = ClusterFixture.Client(ClusterFixture.InstanceB, workspace.Token);
        var names = Enumerable.Range(0, Events).Select(i => $"cluster-hook-{i}").ToList();
        await Parallel.ForEachAsync(names.Select((name, i) => (name, client: i % 2 == 0 ? a : b)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, ct) =>
        {
            Assert.Equal(HttpStatusCode.Created, (await item.client.SendAsync(ClusterFixture.PostClient(Guid.NewGuid().ToString(), item.name), ct)).StatusCode);
        });

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (receiver.AcceptedById.Count < Events && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // a duplicate would come now
        Assert.Equal(Events, receiver.AcceptedById.Count);
        Assert.All(receiver.AcceptedById, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(Events, receiver.Received.Count);
        Assert.Equal(names.Order(), receiver.Received.Select(r => r.Json.GetProperty("data").GetProperty("client").GetProperty("name").GetString()!).Order());
    }
}
