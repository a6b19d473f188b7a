using System.Net.Http.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Features;

public class MeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<Role, string> Roles => new()
    {
        { Role.Owner, "OWNER" },
        { Role.Admin, "ADMIN" },
        { Role.Manager, "MANAGER" },
        { Role.Member, "MEMBER" },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Me_describes_the_token_for_each_role(Role role, string wireRole)
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Studio, name: "Northwind Studio");
        var (memberId, token) = await workspace.TokenForRoleAsync(role);

        var response = await workspace.Client(token).GetAsync("/api/v1/me");

        Assert.Equal(200, (int)response.StatusCode);
        var data = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(workspace.Id, data.GetProperty("orgId").GetGuid());
        Assert.Equal("Northwind Studio", data.GetProperty("orgName").GetString());
        Assert.Equal("studio", data.GetProperty("plan").GetString());
        Assert.Equal(wireRole, data.GetProperty("role").GetString());
        Assert.Equal($"{role} token", data.GetProperty("tokenName").GetString());
        Assert.Equal(PermissionTable.ScopesOf(role), data.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToList());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, data.GetProperty("projectIds").ValueKind);
        Assert.Equal(token.Split('_')[2], data.GetProperty("tokenPrefix").GetString());
        Assert.Equal("test", data.GetProperty("tokenEnv").GetString());
        Assert.Equal(memberId, data.GetProperty("member").GetProperty("id").GetGuid());
        Assert.DoesNotContain(token.Split('_')[3], await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Agency_plan_is_reported_in_lower_case()
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;

        var data = (await (await workspace.Client(token).GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal("agency", data.GetProperty("plan").GetString());
    }

    [Fact]
    public async Task A_role_change_changes_the_tokens_powers_on_the_next_request()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (memberId, token) = await workspace.TokenForRoleAsync(Role.Manager);
        using var client = workspace.Client(token);
        Assert.Equal("MANAGER", (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data").GetProperty("role").GetString());

        await factory.WithAdminAsync(admin => admin.SetRoleAsync(workspace.Id, memberId, Role.Member));

        var data = (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal("MEMBER", data.GetProperty("role").GetString());
        Assert.DoesNotContain("clients:read", data.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task A_member_sees_the_ids_of_the_projects_they_are_on()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        using var owner = workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);
        var (memberId, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        using var member = workspace.Client(memberToken);
        var clientId = (await (await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Acme" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
        var onIt = (await (await owner.PostAsJsonAsync("/api/v1/projects", new { clientId, name = "On it" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
        await owner.PostAsJsonAsync("/api/v1/projects", new { clientId, name = "Not on it" });

        Assert.Empty(await ProjectIdsAsync(member));
        Assert.Equal(201, (int)(await owner.PostAsJsonAsync($"/api/v1/projects/{onIt}/members", new { userId = memberId })).StatusCode);

        Assert.Equal([onIt], await ProjectIdsAsync(member));
        // Owners reach every project: they are not project-scoped, so the list stays empty.
        Assert.Empty(await ProjectIdsAsync(owner));
    }

    private static async Task<List<Guid>> ProjectIdsAsync(HttpClient client) =>
        [.. (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data").GetProperty("projectIds").EnumerateArray().Select(p => p.GetGuid())];
}
