using System.Net.Http.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Features;

/// <summary>Token self-service: you see and revoke your own; Owners and Admins every token of the workspace.</summary>
public class TokenEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static async Task<List<Guid>> ListIdsAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/tokens?limit=200");
        Assert.Equal(200, (int)response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetGuid())];
    }

    [Theory]
    [InlineData(Role.Owner, true)]
    [InlineData(Role.Admin, true)]
    [InlineData(Role.Manager, false)]
    [InlineData(Role.Member, false)]
    public async Task Listing_shows_own_tokens_or_for_owners_and_admins_all(Role role, bool seesAll)
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, token) = await workspace.TokenForRoleAsync(role);
        var (_, someoneElses) = await workspace.TokenForRoleAsync(Role.Member);
        var otherWorkspace = await factory.CreateWorkspaceAsync();
        await otherWorkspace.TokenForRoleAsync(Role.Owner);
        var ownId = (await (await workspace.Client(token).GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data").GetProperty("tokenPrefix").GetString();

        var response = await workspace.Client(token).GetAsync("/api/v1/tokens");
        var body = await response.ReadJsonAsync();
        var prefixes = body.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("prefix").GetString()).ToList();

        Assert.Contains(ownId, prefixes);
        Assert.Equal(seesAll, prefixes.Contains(someoneElses.Split('_')[2]));
        Assert.Equal(seesAll ? 2 : 1, prefixes.Count);
        Assert.Equal(50, body.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("pagination").GetProperty("nextCursor").ValueKind);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(token.Split('_')[3], text);
        Assert.DoesNotContain(someoneElses.Split('_')[3], text);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_member_cannot_see_or_revoke_someone_elses_token()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        var owners = await workspace.MintAsync(workspace.OwnerId);
        using var member = workspace.Client(memberToken);

        await (await member.GetAsync($"/api/v1/tokens/{owners.Record.Id}")).AssertErrorAsync(404, "not_found");
        await (await member.DeleteAsync($"/api/v1/tokens/{owners.Record.Id}")).AssertErrorAsync(404, "not_found");

        Assert.Equal(200, (int)(await workspace.Client(owners.Token).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Tokens_of_another_workspace_are_not_found_even_for_owners()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var owner = await workspace.MintAsync(workspace.OwnerId);
        var other = await factory.CreateWorkspaceAsync();
        var foreign = await other.MintAsync(other.OwnerId);

        await (await workspace.Client(owner.Token).DeleteAsync($"/api/v1/tokens/{foreign.Record.Id}")).AssertErrorAsync(404, "not_found");
        Assert.Equal(200, (int)(await other.Client(foreign.Token).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task An_admin_revokes_a_members_token_and_it_fails_on_the_next_request()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, adminToken) = await workspace.TokenForRoleAsync(Role.Admin);
        var memberId = await workspace.AddMemberAsync(Role.Member);
        var leaked = await workspace.MintAsync(memberId, "Leaked");
        using var leakedClient = workspace.Client(leaked.Token);
        Assert.Equal(200, (int)(await leakedClient.GetAsync("/api/v1/me")).StatusCode);

        var revoke = await workspace.Client(adminToken).DeleteAsync($"/api/v1/tokens/{leaked.Record.Id}");
        Assert.Equal(204, (int)revoke.StatusCode);

        await (await leakedClient.GetAsync("/api/v1/me")).AssertErrorAsync(401, "unauthenticated");
        var shown = (await (await workspace.Client(adminToken).GetAsync($"/api/v1/tokens/{leaked.Record.Id}")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal("revoked", shown.GetProperty("status").GetString());
        Assert.Equal(204, (int)(await workspace.Client(adminToken).DeleteAsync($"/api/v1/tokens/{leaked.Record.Id}")).StatusCode);
    }

    [Fact]
    public async Task Anyone_can_revoke_their_own_token_including_the_one_in_use()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var memberId = await workspace.AddMemberAsync(Role.Member);
        var minted = await workspace.MintAsync(memberId);
        using var client = workspace.Client(minted.Token);

        Assert.Equal(204, (int)(await client.DeleteAsync($"/api/v1/tokens/{minted.Record.Id}")).StatusCode);
        await (await client.GetAsync("/api/v1/me")).AssertErrorAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task Lists_page_with_an_opaque_cursor()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var owner = await workspace.MintAsync(workspace.OwnerId);
        for (var i = 0; i < 4; i++)
        {
            await workspace.MintAsync(workspace.OwnerId, $"Token {i}");
        }

        using var client = workspace.Client(owner.Token);
        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var body = await (await client.GetAsync($"/api/v1/tokens?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
            seen.AddRange(body.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()));
            cursor = body.GetProperty("pagination").GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(await ListIdsAsync(client), seen);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=abc")]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("cursor=aWQ6eHl6")]
    public async Task Bad_paging_parameters_are_400(string query)
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var owner = await workspace.MintAsync(workspace.OwnerId);

        await (await workspace.Client(owner.Token).GetAsync($"/api/v1/tokens?{query}")).AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task Renaming_validates_and_changes_only_the_name()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var owner = await workspace.MintAsync(workspace.OwnerId, "Old name");
        using var client = workspace.Client(owner.Token);

        var invalid = await client.PatchAsJsonAsync($"/api/v1/tokens/{owner.Record.Id}", new { name = "  " });
        var error = await invalid.AssertErrorAsync(422, "validation_error");
        Assert.Equal("required", error.GetProperty("fields").GetProperty("name").GetString());
        var tooLong = await client.PatchAsJsonAsync($"/api/v1/tokens/{owner.Record.Id}", new { name = new string('x', 101) });
        Assert.Equal("too_long", (await tooLong.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("name").GetString());

        var renamed = await client.PatchAsJsonAsync($"/api/v1/tokens/{owner.Record.Id}", new { name = "Invoice script" });
        Assert.Equal(200, (int)renamed.StatusCode);
        Assert.Equal("Invoice script", (await renamed.ReadJsonAsync()).GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("Invoice script", (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data").GetProperty("tokenName").GetString());
    }
}
