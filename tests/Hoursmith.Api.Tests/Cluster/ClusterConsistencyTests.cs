using System.Text.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Cluster;

/// <summary>
/// What one instance (or the CLI) changes, the other instance honours on its very next request:
/// authentication reads the token, its member and workspace from the shared database every time.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterConsistencyTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_token_revoked_through_one_instance_is_refused_by_the_other_on_its_next_request()
    {
        var workspace = await cluster.CreateWorkspaceAsync("studio");
        var victim = await cluster.MintAsync(workspace.Id, workspace.OwnerId);
        using var ownerOnA = ClusterFixture.Client(ClusterFixture.InstanceA, workspace.Token);
        using var victimOnA = ClusterFixture.Client(ClusterFixture.InstanceA, victim.Token);
        using var victimOnB = ClusterFixture.Client(ClusterFixture.InstanceB, victim.Token);
        // Both instances have accepted the token: a cache, had either one, would now hold it.
        Assert.Equal(200, (int)(await victimOnA.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(200, (int)(await victimOnB.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(204, (int)(await ownerOnA.DeleteAsync($"/api/v1/tokens/{victim.Id}")).StatusCode);

        await (await victimOnB.GetAsync("/api/v1/me")).AssertErrorAsync(401, "unauthenticated");
        await (await victimOnA.GetAsync("/api/v1/me")).AssertErrorAsync(401, "unauthenticated");
        Assert.Equal(200, (int)(await ownerOnA.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_token_revoked_with_the_cli_is_refused_by_both_instances_on_their_next_request()
    {
        var workspace = await cluster.CreateWorkspaceAsync("studio");
        using var onA = ClusterFixture.Client(ClusterFixture.InstanceA, workspace.Token);
        using var onB = ClusterFixture.Client(ClusterFixture.InstanceB, workspace.Token);
        Assert.Equal(200, (int)(await onA.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(200, (int)(await onB.GetAsync("/api/v1/me")).StatusCode);

        await cluster.CliAsync("tokens", "revoke", "--prefix", workspace.Prefix);

        await (await onB.GetAsync("/api/v1/me")).AssertErrorAsync(401, "unauthenticated");
        await (await onA.GetAsync("/api/v1/me")).AssertErrorAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task A_plan_lapse_made_with_the_cli_is_seen_by_both_instances_on_their_next_request()
    {
        var workspace = await cluster.CreateWorkspaceAsync("studio");
        using var onA = ClusterFixture.Client(ClusterFixture.InstanceA, workspace.Token);
        using var onB = ClusterFixture.Client(ClusterFixture.InstanceB, workspace.Token);
        Assert.Equal(200, (int)(await onA.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(200, (int)(await onB.GetAsync("/api/v1/me")).StatusCode);

        await cluster.CliAsync("workspaces", "set-plan", "--workspace", workspace.Id, "--plan", "studio", "--status", "lapsed");

        await (await onA.GetAsync("/api/v1/me")).AssertErrorAsync(402, "forbidden_plan");
        await (await onB.GetAsync("/api/v1/me")).AssertErrorAsync(402, "forbidden_plan");

        await cluster.CliAsync("workspaces", "set-plan", "--workspace", workspace.Id, "--plan", "studio", "--status", "active");

        Assert.Equal(200, (int)(await onB.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(200, (int)(await onA.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_list_cursor_from_one_instance_reads_the_next_page_on_the_other()
    {
        var workspace = await cluster.CreateWorkspaceAsync("studio");
        using var onA = ClusterFixture.Client(ClusterFixture.InstanceA, workspace.Token);
        using var onB = ClusterFixture.Client(ClusterFixture.InstanceB, workspace.Token);
        foreach (var name in new[] { "First", "Second" })
        {
            Assert.Equal(201, (int)(await onA.SendAsync(ClusterFixture.PostClient(Guid.NewGuid().ToString(), name))).StatusCode);
        }

        var first = await (await onA.GetAsync("/api/v1/clients?limit=1&sort=name")).ReadJsonAsync();
        var cursor = first.GetProperty("pagination").GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);

        // No secret is configured: the instances sign cursors with the one key their database keeps.
        Assert.DoesNotContain(cluster.Settings.Keys, key => key.Contains("CursorSecret", StringComparison.OrdinalIgnoreCase));
        var response = await onB.GetAsync($"/api/v1/clients?limit=1&sort=name&cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal(200, (int)response.StatusCode);
        var second = await response.ReadJsonAsync();
        Assert.Equal("First", first.GetProperty("data")[0].GetProperty("name").GetString());
        Assert.Equal("Second", second.GetProperty("data")[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("pagination").GetProperty("nextCursor").ValueKind);
    }
}
