using System.Net;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Cluster;

/// <summary>
/// Budgets are the cluster's, not an instance's (the counters live in Redis), and behind nginx
/// the per-IP budget is the real client's: instances believe X-Forwarded-For from nginx only.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterRateLimitTests(ClusterFixture cluster)
{
    private const string UnknownToken = "hsk_live_000000000000_0123456789abcdefABCDEF0123456789";

    [Fact]
    public async Task A_token_spends_one_budget_across_both_instances_behind_nginx()
    {
        var workspace = await cluster.CreateWorkspaceAsync("studio");
        using var client = ClusterFixture.Client(ClusterFixture.Proxy, workspace.Token);

        // One after another: nginx sends them round-robin, alternately to each instance.
        var statuses = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((int)(await client.GetAsync("/api/v1/me")).StatusCode);
        }

        // A Studio token's burst is 30 (the fixture only slows its refill down).
        Assert.Equal(Enumerable.Repeat(200, 30).Concat(Enumerable.Repeat(429, 10)), statuses);
    }

    [Fact]
    public async Task Behind_nginx_each_client_IP_has_its_own_budget_and_a_forged_X_Forwarded_For_changes_nothing()
    {
        using var first = ClusterFixture.Client(ClusterFixture.Proxy, UnknownToken);
        var statuses = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add(await StatusAsync(first, $"198.51.100.{i + 1}"));
        }

        // nginx replaces the forged header with the real peer, so one client spends one budget of 10.
        Assert.Equal(Enumerable.Repeat(401, 10).Append(429), statuses);

        // Another client, through the same nginx: the instances see its own address, not nginx's.
        using var second = ClusterFixture.Client(ClusterFixture.Proxy, UnknownToken);
        Assert.Equal(401, await StatusAsync(second, forwardedFor: null));
    }

    [Fact]
    public async Task An_instance_ignores_X_Forwarded_For_from_a_peer_that_is_not_its_proxy()
    {
        // Straight to instance A from an address that is not nginx's (127.0.0.1).
        using var client = ClusterFixture.Client(ClusterFixture.InstanceA, UnknownToken);
        var statuses = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add(await StatusAsync(client, $"203.0.113.{i + 1}"));
        }

        Assert.Equal(Enumerable.Repeat(401, 10).Append(429), statuses);
    }

    private static async Task<int> StatusAsync(HttpClient client, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            await response.AssertErrorAsync(401, "unauthenticated");
        }

        return (int)response.StatusCode;
    }
}
