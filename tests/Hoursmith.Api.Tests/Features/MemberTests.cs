using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Features;

public class MemberTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static List<Guid> Ids(JsonElement body) => [.. body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetGuid())];

    // Lists run by descending id; ids are UUIDv7, so that is newest first (to the millisecond).
    private static List<Guid> NewestFirst(IEnumerable<Guid> ids) => [.. ids.OrderByDescending(id => id.ToString())];

    [Theory]
    [InlineData(Role.Owner)]
    [InlineData(Role.Admin)]
    [InlineData(Role.Manager)]
    public async Task Owners_admins_and_managers_list_every_active_member_newest_first(Role role)
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var memberId = await workspace.AddMemberAsync(Role.Member);
        var (callerId, token) = await workspace.TokenForRoleAsync(role);
        using var client = workspace.Client(token);

        var body = await (await client.GetAsync("/api/v1/members")).ReadJsonAsync();

        var expected = new List<Guid> { workspace.OwnerId, memberId };
        if (role != Role.Owner)
        {
            expected.Add(callerId);
        }

        Assert.Equal(NewestFirst(expected), Ids(body));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("pagination").GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task A_member_record_carries_every_field_with_user_id_equal_to_id()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var managerId = await workspace.AddMemberAsync(Role.Manager);
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;

        var response = await workspace.Client(token).GetAsync($"/api/v1/members/{managerId}");

        Assert.Equal(200, (int)response.StatusCode);
        var data = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(managerId, data.GetProperty("id").GetGuid());
        Assert.Equal(managerId, data.GetProperty("userId").GetGuid());
        Assert.Equal(workspace.Id, data.GetProperty("orgId").GetGuid());
        Assert.Equal("MANAGER", data.GetProperty("role").GetString());
        Assert.Equal("Manager Person", data.GetProperty("name").GetString());
        Assert.StartsWith("manager-", data.GetProperty("email").GetString());
        Assert.True(data.GetProperty("createdAt").TryGetDateTime(out _));
        Assert.Equal(7, data.EnumerateObject().Count());
    }

    [Fact]
    public async Task A_member_token_reads_only_its_own_record()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var colleague = await workspace.AddMemberAsync(Role.Member);
        var (memberId, token) = await workspace.TokenForRoleAsync(Role.Member);
        using var client = workspace.Client(token);

        Assert.Equal([memberId], Ids(await (await client.GetAsync("/api/v1/members")).ReadJsonAsync()));
        var own = (await (await client.GetAsync($"/api/v1/members/{memberId}")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal("MEMBER", own.GetProperty("role").GetString());
        await (await client.GetAsync($"/api/v1/members/{colleague}")).AssertErrorAsync(404, "not_found");
        await (await client.GetAsync($"/api/v1/members/{workspace.OwnerId}")).AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task Removed_members_are_neither_listed_nor_readable()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var removed = await workspace.AddMemberAsync(Role.Manager);
        await factory.WithAdminAsync(admin => admin.RemoveMemberAsync(workspace.Id, removed));
        using var client = workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);

        Assert.Equal([workspace.OwnerId], Ids(await (await client.GetAsync("/api/v1/members")).ReadJsonAsync()));
        await (await client.GetAsync($"/api/v1/members/{removed}")).AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task Members_of_another_workspace_are_404_and_not_listed()
    {
        var mine = await factory.CreateWorkspaceAsync();
        var theirs = await factory.CreateWorkspaceAsync();
        using var client = mine.Client((await mine.MintAsync(mine.OwnerId)).Token);

        await (await client.GetAsync($"/api/v1/members/{theirs.OwnerId}")).AssertErrorAsync(404, "not_found");
        Assert.DoesNotContain(theirs.OwnerId, Ids(await (await client.GetAsync("/api/v1/members")).ReadJsonAsync()));
    }

    [Fact]
    public async Task The_list_pages_by_cursor()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var added = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            added.Add(await workspace.AddMemberAsync(Role.Member));
        }

        using var client = workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);

        var first = await (await client.GetAsync("/api/v1/members?limit=2")).ReadJsonAsync();
        var cursor = first.GetProperty("pagination").GetProperty("nextCursor").GetString();
        var second = await (await client.GetAsync($"/api/v1/members?limit=2&cursor={cursor}")).ReadJsonAsync();

        var all = NewestFirst([.. added, workspace.OwnerId]);
        Assert.Equal(all[..2], Ids(first));
        Assert.Equal(all[2..], Ids(second));
        await (await client.GetAsync("/api/v1/members?limit=0")).AssertErrorAsync(400, "bad_request");
    }
}
