using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Features;

public class ProjectTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(TestWorkspace Workspace, HttpClient Owner, Guid ClientId)> SetupAsync(object? client = null)
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var owner = workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);
        var created = await owner.PostAsJsonAsync("/api/v1/clients", client ?? new { name = "Acme", defaultRate = "95.50" });
        return (workspace, owner, (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid());
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/projects", body);
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data");
    }

    [Fact]
    public async Task New_projects_are_active_hourly_and_inherit_the_clients_rate()
    {
        var (_, owner, clientId) = await SetupAsync();

        var project = await CreateAsync(owner, new { clientId, name = "Website" });

        Assert.Equal("ACTIVE", project.GetProperty("status").GetString());
        Assert.Equal("HOURLY", project.GetProperty("rateType").GetString());
        Assert.Equal("95.50", project.GetProperty("hourlyRate").GetString());
        Assert.Equal(clientId, project.GetProperty("clientId").GetGuid());
    }

    [Fact]
    public async Task Rates_keep_four_decimals_and_enums_accept_any_case()
    {
        var (_, owner, clientId) = await SetupAsync();

        var project = await CreateAsync(owner, new { clientId, name = "Retainer", hourlyRate = "87.1234", status = "completed", rateType = "non_billable" });

        Assert.Equal("87.1234", project.GetProperty("hourlyRate").GetString());
        Assert.Equal("COMPLETED", project.GetProperty("status").GetString());
        Assert.Equal("NON_BILLABLE", project.GetProperty("rateType").GetString());
    }

    [Theory]
    [InlineData("{\"name\":\"P\"}", "clientId", "required")]
    [InlineData("{\"clientId\":\"nope\",\"name\":\"P\"}", "clientId", "not_a_uuid")]
    [InlineData("{\"clientId\":\"00000000-0000-4000-8000-000000000000\",\"name\":\"P\"}", "clientId", "not_found")]
    [InlineData("{\"clientId\":\"$client\"}", "name", "required")]
    [InlineData("{\"clientId\":\"$client\",\"name\":\"P\",\"status\":\"PAUSED\"}", "status", "unknown_value")]
    [InlineData("{\"clientId\":\"$client\",\"name\":\"P\",\"hourlyRate\":\"10.12345\"}", "hourlyRate", "too_many_decimals")]
    [InlineData("{\"clientId\":\"$client\",\"name\":\"P\",\"budgetHours\":10,\"budgetAmount\":\"500\"}", "budgetAmount", "mutually_exclusive")]
    [InlineData("{\"clientId\":\"$client\",\"name\":\"P\",\"rateType\":\"FIXED\"}", "fixedFeeAmount", "required")]
    [InlineData("{\"clientId\":\"$client\",\"name\":\"P\",\"fixedFeeAmount\":\"1000\"}", "fixedFeeAmount", "only_for_fixed")]
    [InlineData("{\"clientId\":\"$client\",\"name\":\"P\",\"startDate\":\"2026-05-10\",\"dueDate\":\"2026-05-01\"}", "dueDate", "before_startDate")]
    [InlineData("{\"clientId\":\"$client\",\"name\":\"P\",\"startDate\":\"10/05/2026\"}", "startDate", "invalid_date")]
    public async Task Invalid_projects_are_422_naming_the_field(string json, string field, string reason)
    {
        var (_, owner, clientId) = await SetupAsync();

        var response = await owner.PostAsync("/api/v1/projects", Json(json.Replace("$client", clientId.ToString(), StringComparison.Ordinal)));

        Assert.Equal(reason, (await response.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty(field).GetString());
    }

    [Fact]
    public async Task Patch_rules_apply_to_the_merged_result()
    {
        var (_, owner, clientId) = await SetupAsync();
        var id = (await CreateAsync(owner, new { clientId, name = "Launch", rateType = "FIXED", fixedFeeAmount = "5000" })).GetProperty("id").GetGuid();

        // Switching to HOURLY while the fee stays is refused; clearing the fee in the same request is fine.
        var refused = await owner.PatchAsync($"/api/v1/projects/{id}", Json("{\"rateType\":\"HOURLY\"}"));
        Assert.Equal("only_for_fixed", (await refused.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("fixedFeeAmount").GetString());

        var accepted = await owner.PatchAsync($"/api/v1/projects/{id}", Json("{\"rateType\":\"HOURLY\",\"fixedFeeAmount\":null}"));
        Assert.Equal(200, (int)accepted.StatusCode);
        Assert.Equal("HOURLY", (await accepted.ReadJsonAsync()).GetProperty("data").GetProperty("rateType").GetString());
    }

    [Fact]
    public async Task A_project_moves_to_another_client_of_the_same_workspace_only()
    {
        var (_, owner, clientId) = await SetupAsync();
        var other = (await (await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Other" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
        var (_, _, foreignClient) = await SetupAsync();
        var id = (await CreateAsync(owner, new { clientId, name = "Moving" })).GetProperty("id").GetGuid();

        var moved = await owner.PatchAsJsonAsync($"/api/v1/projects/{id}", new { clientId = other });
        Assert.Equal(other, (await moved.ReadJsonAsync()).GetProperty("data").GetProperty("clientId").GetGuid());

        var refused = await owner.PatchAsJsonAsync($"/api/v1/projects/{id}", new { clientId = foreignClient });
        Assert.Equal("not_found", (await refused.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("clientId").GetString());
    }

    [Fact]
    public async Task Members_see_only_projects_they_are_on_and_cannot_write()
    {
        var (workspace, owner, clientId) = await SetupAsync();
        var (memberId, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        using var member = workspace.Client(memberToken);
        var onIt = (await CreateAsync(owner, new { clientId, name = "On it" })).GetProperty("id").GetGuid();
        var notOnIt = (await CreateAsync(owner, new { clientId, name = "Not on it" })).GetProperty("id").GetGuid();

        await (await member.GetAsync($"/api/v1/projects/{onIt}")).AssertErrorAsync(404, "not_found");
        Assert.Equal(201, (int)(await owner.PostAsJsonAsync($"/api/v1/projects/{onIt}/members", new { userId = memberId })).StatusCode);
        Assert.Equal(200, (int)(await owner.PostAsJsonAsync($"/api/v1/projects/{onIt}/members", new { userId = memberId })).StatusCode);

        Assert.Equal(200, (int)(await member.GetAsync($"/api/v1/projects/{onIt}")).StatusCode);
        await (await member.GetAsync($"/api/v1/projects/{notOnIt}")).AssertErrorAsync(404, "not_found");
        var listed = (await (await member.GetAsync("/api/v1/projects")).ReadJsonAsync()).GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([onIt], listed);
        await (await member.PatchAsJsonAsync($"/api/v1/projects/{onIt}", new { name = "Mine" })).AssertErrorAsync(403, "forbidden_scope");
        await (await member.PostAsJsonAsync("/api/v1/projects", new { clientId, name = "New" })).AssertErrorAsync(403, "forbidden_scope");

        var members = (await (await member.GetAsync($"/api/v1/projects/{onIt}/members")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal(memberId, Assert.Single(members.EnumerateArray()).GetProperty("userId").GetGuid());

        Assert.Equal(204, (int)(await owner.DeleteAsync($"/api/v1/projects/{onIt}/members/{memberId}")).StatusCode);
        await (await member.GetAsync($"/api/v1/projects/{onIt}")).AssertErrorAsync(404, "not_found");
        await (await owner.DeleteAsync($"/api/v1/projects/{onIt}/members/{memberId}")).AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task Member_responses_never_carry_money_fields()
    {
        var (workspace, owner, clientId) = await SetupAsync();
        var (memberId, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        var id = (await CreateAsync(owner, new { clientId, name = "Budgeted", hourlyRate = "120", budgetAmount = "9000" })).GetProperty("id").GetGuid();
        await owner.PostAsJsonAsync($"/api/v1/projects/{id}/members", new { userId = memberId });

        var asMember = await (await workspace.Client(memberToken).GetAsync($"/api/v1/projects/{id}")).Content.ReadAsStringAsync();
        var asOwner = await (await owner.GetAsync($"/api/v1/projects/{id}")).Content.ReadAsStringAsync();

        Assert.Contains("\"hourlyRate\":\"120.00\"", asOwner);
        Assert.Contains("\"budgetAmount\":\"9000.00\"", asOwner);
        foreach (var money in new[] { "hourlyRate", "fixedFeeAmount", "budgetAmount", "120.00", "9000.00" })
        {
            Assert.DoesNotContain(money, asMember);
        }

        Assert.Contains("\"budgetHours\":null", asMember);
    }

    [Fact]
    public async Task Adding_an_unknown_or_foreign_member_is_422()
    {
        var (_, owner, clientId) = await SetupAsync();
        var other = await factory.CreateWorkspaceAsync();
        var id = (await CreateAsync(owner, new { clientId, name = "P" })).GetProperty("id").GetGuid();

        var error = await (await owner.PostAsJsonAsync($"/api/v1/projects/{id}/members", new { userId = other.OwnerId })).AssertErrorAsync(422, "validation_error");

        Assert.Equal("not_found", error.GetProperty("fields").GetProperty("userId").GetString());
    }
}
