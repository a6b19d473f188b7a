using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Mcp;

/// <summary>The remote MCP server at <c>/mcp</c>, through the C# SDK's own client (and raw JSON-RPC where the HTTP layer is the point).</summary>
public sealed class McpRemoteTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string s_today = DateTime.UtcNow.ToString("yyyy-MM-dd");

    [Fact]
    public async Task Tools_list_has_exactly_the_documented_tools_each_with_a_description_schemas_and_annotations()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        await using var client = await McpTestClient.RemoteAsync(factory, token);

        var tools = await client.ListToolsAsync();

        Assert.Equal(McpTestClient.ToolNames.Order(), tools.Select(t => t.Name).Order());
        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), tool.Name);
            Assert.Equal("object", tool.InputSchema.GetProperty("type").GetString());
            Assert.Equal("object", tool.OutputSchema!.Value.GetProperty("type").GetString());
            var read = tool.Name.StartsWith("list_", StringComparison.Ordinal) || tool.Name.StartsWith("get_", StringComparison.Ordinal);
            Assert.Equal(read, tool.Annotations!.ReadOnlyHint);
            Assert.Equal(McpTestClient.DestructiveTools.Contains(tool.Name), tool.Annotations.DestructiveHint);
            if (tool.Name.StartsWith("create_", StringComparison.Ordinal) || tool.Name.StartsWith("update_", StringComparison.Ordinal))
            {
                Assert.False(tool.Annotations.IdempotentHint, tool.Name);
            }
        }

        // What an assistant needs to act: required ids, formats, enums, money as decimal strings, list parameters.
        var byName = tools.ToDictionary(t => t.Name, t => t.ProtocolTool);
        var getClient = byName["get_client"].InputSchema;
        Assert.Equal(["id"], getClient.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("uuid", getClient.GetProperty("properties").GetProperty("id").GetProperty("format").GetString());
        var listProjects = byName["list_projects"].InputSchema.GetProperty("properties");
        foreach (var parameter in new[] { "limit", "cursor", "sort", "search", "includeDeleted", "clientId", "status" })
        {
            Assert.True(listProjects.TryGetProperty(parameter, out _), parameter);
        }

        Assert.Contains("-createdAt", listProjects.GetProperty("sort").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("decimal", byName["create_client"].InputSchema.GetProperty("properties").GetProperty("defaultRate").GetProperty("format").GetString());
        Assert.Contains("decimal strings", byName["create_expense"].Description);
        Assert.Equal(["clientId", "name"], byName["create_project"].InputSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.DoesNotContain("name", byName["update_project"].InputSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var startTimer = byName["start_timer"];
        Assert.Equal(["billable", "note", "projectId", "taskId", "userId"], startTimer.InputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("one running timer", startTimer.Description);
        Assert.False(byName["stop_timer"].InputSchema.TryGetProperty("required", out _));
    }

    [Fact]
    public async Task An_owner_can_call_every_tool_and_each_answers_the_apis_json()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        await using var client = await McpTestClient.RemoteAsync(factory, token);
        var called = new HashSet<string>();
        async Task<JsonElement> Ok(string tool, object? arguments = null)
        {
            called.Add(tool);
            return await client.CallOkAsync(tool, arguments);
        }

        Assert.Equal("OWNER", (await Ok("get_me")).GetProperty("data").GetProperty("role").GetString());
        Assert.Equal(workspace.Id.ToString(), (await Ok("get_organization")).GetProperty("data").GetProperty("id").GetString());

        var clientId = (await Ok("create_client", new { name = "Acme", defaultRate = "120.00" })).Id();
        var spareClientId = (await Ok("create_client", new { name = "Spare" })).Id();
        Assert.Equal(2, (await Ok("list_clients")).GetProperty("data").GetArrayLength());
        Assert.Equal("Acme", (await Ok("get_client", new { id = clientId })).GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("VIP", (await Ok("update_client", new { id = clientId, notes = "VIP" })).GetProperty("data").GetProperty("notes").GetString());

        var projectId = (await Ok("create_project", new { clientId, name = "Acme site relaunch", hourlyRate = "95.00" })).Id();
        Assert.Equal("95.00", (await Ok("get_project", new { id = projectId })).GetProperty("data").GetProperty("hourlyRate").GetString());
        Assert.Single((await Ok("list_projects", new { search = "relaunch" })).GetProperty("data").EnumerateArray());
        Assert.Equal("Phase 2", (await Ok("update_project", new { id = projectId, description = "Phase 2" })).GetProperty("data").GetProperty("description").GetString());

        var taskId = (await Ok("create_task", new { projectId, name = "Wireframes" })).Id();
        Assert.Single((await Ok("list_tasks", new { projectId })).GetProperty("data").EnumerateArray());
        Assert.Equal("Wireframes", (await Ok("get_task", new { id = taskId })).GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("Wireframes v2", (await Ok("update_task", new { id = taskId, name = "Wireframes v2" })).GetProperty("data").GetProperty("name").GetString());

        var entryId = (await Ok("create_time_entry", new { projectId, taskId, duration = "1h30m", entryDate = s_today })).Id();
        Assert.Equal(5400, (await Ok("get_time_entry", new { id = entryId })).GetProperty("data").GetProperty("durationSeconds").GetInt32());
        Assert.Equal("Kick-off", (await Ok("update_time_entry", new { id = entryId, note = "Kick-off" })).GetProperty("data").GetProperty("note").GetString());
        var doomedEntry = (await Ok("create_time_entry", new { projectId, durationSeconds = 60, entryDate = s_today })).Id();
        Assert.True((await Ok("delete_time_entry", new { id = doomedEntry })).GetProperty("deleted").GetBoolean());
        Assert.Single((await Ok("list_time_entries", new { projectId })).GetProperty("data").EnumerateArray());

        var timerId = (await Ok("start_timer", new { projectId, note = "Call" })).Id();
        Assert.Equal(timerId, (await Ok("get_running_timer")).Id());
        Assert.Equal(timerId, (await Ok("stop_timer", new { id = timerId })).Id());
        Assert.Equal(JsonValueKind.Null, (await Ok("get_running_timer")).GetProperty("data").ValueKind);

        var expenseId = (await Ok("create_expense", new { clientId, description = "Fonts", amount = "12.50", expenseDate = s_today })).Id();
        Assert.Equal("12.50", (await Ok("get_expense", new { id = expenseId })).GetProperty("data").GetProperty("amount").GetString());
        Assert.Equal("Font licence", (await Ok("update_expense", new { id = expenseId, description = "Font licence" })).GetProperty("data").GetProperty("description").GetString());
        Assert.Single((await Ok("list_expenses")).GetProperty("data").EnumerateArray());
        Assert.True((await Ok("delete_expense", new { id = expenseId })).GetProperty("deleted").GetBoolean());

        Assert.Single((await Ok("list_members")).GetProperty("data").EnumerateArray());
        Assert.True((await Ok("archive_task", new { id = taskId })).GetProperty("deleted").GetBoolean());

        // Invoices exist only through the CLI's operations; the tools read them.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Invoicing>().CreateAsync(new NewInvoice(workspace.Id, Guid.Parse(clientId)));
        }

        var invoiceId = Assert.Single((await Ok("list_invoices")).GetProperty("data").EnumerateArray()).GetProperty("id").GetString();
        Assert.Equal(clientId, (await Ok("get_invoice", new { id = invoiceId })).GetProperty("data").GetProperty("clientId").GetString());

        Assert.Equal("ARCHIVED", (await Ok("archive_project", new { id = projectId })).GetProperty("data").GetProperty("status").GetString());
        Assert.True((await Ok("delete_client", new { id = spareClientId })).GetProperty("deleted").GetBoolean());

        Assert.Equal(McpTestClient.ToolNames.Order(), called.Order());
    }

    [Fact]
    public async Task A_member_is_refused_what_their_role_lacks_and_sees_only_their_projects_without_money()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (memberId, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        var (_, ownerToken) = await workspace.TokenForRoleAsync(Role.Owner);
        var (theirs, _) = await SetUpSiteProjectsAsync(workspace, ownerToken, memberId);
        await using var member = await McpTestClient.RemoteAsync(factory, memberToken);
        await using var owner = await McpTestClient.RemoteAsync(factory, ownerToken);

        var refused = await member.CallRefusedAsync("create_client", "forbidden_scope", new { name = "Nope" });
        Assert.Contains("clients:write", refused.GetProperty("message").GetString());
        var anyId = Guid.NewGuid();
        foreach (var (tool, arguments) in new (string, object?)[]
        {
            ("list_clients", null), ("get_client", new { id = anyId }), ("update_client", new { id = anyId, name = "x" }), ("delete_client", new { id = anyId }),
            ("list_expenses", null), ("get_expense", new { id = anyId }), ("create_expense", new { clientId = anyId, description = "x", amount = "1.00", expenseDate = s_today }),
            ("update_expense", new { id = anyId, description = "x" }), ("delete_expense", new { id = anyId }),
            ("list_invoices", null), ("get_invoice", new { id = anyId }),
            ("create_project", new { clientId = anyId, name = "x" }), ("update_project", new { id = theirs, name = "x" }), ("archive_project", new { id = theirs }),
        })
        {
            await member.CallRefusedAsync(tool, "forbidden_scope", arguments);
        }

        var seen = (await member.CallOkAsync("list_projects")).GetProperty("data");
        var project = Assert.Single(seen.EnumerateArray());
        Assert.Equal(theirs, project.GetProperty("id").GetString());
        foreach (var money in new[] { "hourlyRate", "fixedFeeAmount", "budgetAmount" })
        {
            Assert.False(project.TryGetProperty(money, out _), money);
        }

        // The owner's view of the same project has them: the check above can fail.
        var ownersView = (await owner.CallOkAsync("get_project", new { id = theirs })).GetProperty("data");
        Assert.Equal("95.00", ownersView.GetProperty("hourlyRate").GetString());
    }

    [Fact]
    public async Task The_assistant_scenario_starts_and_stops_a_timer_that_then_shows_in_the_list()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (memberId, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        var (_, ownerToken) = await workspace.TokenForRoleAsync(Role.Owner);
        var (theirs, _) = await SetUpSiteProjectsAsync(workspace, ownerToken, memberId);
        await using var assistant = await McpTestClient.RemoteAsync(factory, memberToken);

        await AssistantScenario.RunAsync(assistant, memberId, theirs);
    }

    [Fact]
    public async Task Without_a_valid_token_or_on_the_free_plan_the_connection_is_refused_before_a_session_with_the_apis_answer()
    {
        var free = await factory.CreateWorkspaceAsync(Plan.Free);
        var (_, freeToken) = await free.TokenForRoleAsync(Role.Owner);
        using var http = factory.CreateDefaultClient();

        using var none = await InitializeAsync(http, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.ToString());
        await none.AssertErrorAsync(401, "unauthenticated");

        using var bad = await InitializeAsync(http, "hsk_test_0123456789ab_" + new string('x', 32));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", bad.Headers.WwwAuthenticate.ToString());

        using var onFree = await InitializeAsync(http, freeToken);
        await onFree.AssertErrorAsync(402, "forbidden_plan");
        Assert.False(onFree.Headers.Contains("Mcp-Session-Id"));

        // And through the SDK: connecting fails.
        await Assert.ThrowsAnyAsync<Exception>(() => McpTestClient.RemoteAsync(factory, freeToken));
    }

    [Fact]
    public async Task A_revoked_token_fails_on_its_next_call()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId);
        await using var client = await McpTestClient.RemoteAsync(factory, minted.Token, protocolVersion: "2025-11-25");
        await client.CallOkAsync("get_me");

        await factory.WithAdminAsync(admin => admin.RevokeTokenAsync(minted.Record.Prefix));

        await Assert.ThrowsAnyAsync<Exception>(async () => await client.CallToolAsync("get_me"));
        using var http = factory.CreateDefaultClient();
        using var refused = await InitializeAsync(http, minted.Token);
        var error = await refused.AssertErrorAsync(401, "unauthenticated");
        Assert.Contains("revoked", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_retried_write_with_the_same_mcp_request_creates_once_and_a_new_request_creates_again()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        using var http = factory.CreateDefaultClient();
        using var initialized = await InitializeAsync(http, token);
        var session = initialized.Headers.GetValues("Mcp-Session-Id").Single();
        using var ready = await PostAsync(http, token, session, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");

        const string create = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_client","arguments":{"name":"Retry Ltd"}}}""";
        var first = await ToolResultAsync(await PostAsync(http, token, session, create));
        var retried = await ToolResultAsync(await PostAsync(http, token, session, create));
        var next = await ToolResultAsync(await PostAsync(http, token, session, create.Replace("\"id\":7", "\"id\":8", StringComparison.Ordinal)));

        Assert.Equal(first.Id(), retried.Id());
        Assert.NotEqual(first.Id(), next.Id());
        using var rest = workspace.Client(token);
        var clients = (await (await rest.GetAsync("/api/v1/clients?search=Retry")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal(2, clients.GetArrayLength());
    }

    /// <summary>A client with a project the member is on ("Acme site relaunch") and one they are not on ("Northwind site"); the first's id.</summary>
    internal static async Task<(string Theirs, string Other)> SetUpSiteProjectsAsync(TestWorkspace workspace, string ownerToken, Guid memberId)
    {
        using var owner = workspace.Client(ownerToken);
        var clientId = (await (await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Acme" })).ReadJsonAsync()).Id();
        var theirs = (await (await owner.PostAsJsonAsync("/api/v1/projects", new { clientId, name = "Acme site relaunch", hourlyRate = "95.00", budgetAmount = "9000.00" })).ReadJsonAsync()).Id();
        var other = (await (await owner.PostAsJsonAsync("/api/v1/projects", new { clientId, name = "Northwind site", hourlyRate = "80.00" })).ReadJsonAsync()).Id();
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync($"/api/v1/projects/{theirs}/members", new { userId = memberId })).StatusCode);
        return (theirs, other);
    }

    private static Task<HttpResponseMessage> InitializeAsync(HttpClient http, string? token) => PostAsync(http, token, null,
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string? token, string? session, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
            request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        }

        return await http.SendAsync(request);
    }

    /// <summary>The structured content of a tools/call answer sent as one server-sent event.</summary>
    private static async Task<JsonElement> ToolResultAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            var data = body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).Last(l => l.Length > 0);
            var result = JsonDocument.Parse(data).RootElement.GetProperty("result");
            Assert.False(result.TryGetProperty("isError", out var isError) && isError.GetBoolean(), data);
            return result.GetProperty("structuredContent").Clone();
        }
    }
}
