using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Mcp;

/// <summary>
/// <c>Hoursmith.Api mcp</c> launched as a real process by the C# SDK's stdio client, calling a real
/// server process over HTTP on the same database as the test's factory (which mints the tokens).
/// </summary>
public sealed class McpStdioTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        await factory.CreateWorkspaceAsync(); // the factory's host migrates the shared database first
        _server = await ServerProcess.StartAsync(ServerProcess.ProductionEnvironment(factory.ConnectionString));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Tools_list_is_the_same_catalogue_as_the_remote_servers()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        await using var stdio = await McpTestClient.StdioAsync(_server.BaseAddress, token);
        await using var remote = await McpTestClient.RemoteAsync(factory, token);

        var local = (await stdio.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);
        var served = (await remote.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(McpTestClient.ToolNames.Order(), local.Keys.Order());
        foreach (var (name, tool) in local)
        {
            Assert.Equal(served[name].Description, tool.Description);
            Assert.Equal(JsonSerializer.Serialize(served[name].InputSchema), JsonSerializer.Serialize(tool.InputSchema));
            Assert.Equal(JsonSerializer.Serialize(served[name].OutputSchema), JsonSerializer.Serialize(tool.OutputSchema));
        }
    }

    [Fact]
    public async Task The_assistant_scenario_works_over_stdio_and_a_member_is_refused_and_money_blind_there_too()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (memberId, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        var (_, ownerToken) = await workspace.TokenForRoleAsync(Role.Owner);
        var (theirs, _) = await McpRemoteTests.SetUpSiteProjectsAsync(workspace, ownerToken, memberId);
        var standardError = new List<string>();
        await using var assistant = await McpTestClient.StdioAsync(_server.BaseAddress, memberToken, standardError);

        await AssistantScenario.RunAsync(assistant, memberId, theirs);

        await assistant.CallRefusedAsync("create_client", "forbidden_scope", new { name = "Nope" });
        var project = Assert.Single((await assistant.CallOkAsync("list_projects")).GetProperty("data").EnumerateArray());
        Assert.False(project.TryGetProperty("hourlyRate", out _));
        Assert.False(project.TryGetProperty("budgetAmount", out _));
        lock (standardError)
        {
            Assert.DoesNotContain(standardError, line => line.Contains(memberToken[10..], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task On_the_free_plan_every_tool_is_a_tool_error_with_the_plan_refusal()
    {
        var free = await factory.CreateWorkspaceAsync(Plan.Free);
        var (_, token) = await free.TokenForRoleAsync(Role.Owner);
        await using var client = await McpTestClient.StdioAsync(_server.BaseAddress, token);
        var anyId = Guid.NewGuid();

        foreach (var tool in McpTestClient.ToolNames)
        {
            object arguments = tool switch
            {
                _ when tool.StartsWith("list_", StringComparison.Ordinal) || tool is "get_me" or "get_organization" or "get_running_timer" or "stop_timer" => new { },
                "create_client" => new { name = "x" },
                "create_project" => new { clientId = anyId, name = "x" },
                "create_task" => new { projectId = anyId, name = "x" },
                "create_time_entry" => new { projectId = anyId, durationSeconds = 60, entryDate = "2026-12-01" },
                "start_timer" => new { projectId = anyId },
                "create_expense" => new { clientId = anyId, description = "x", amount = "1.00", expenseDate = "2026-12-01" },
                _ => new { id = anyId },
            };
            var error = await client.CallRefusedAsync(tool, "forbidden_plan", arguments);
            Assert.Equal("studio", error.GetProperty("requiredPlan").GetString());
        }
    }

    [Fact]
    public async Task A_revoked_token_fails_on_its_next_call_and_the_token_is_never_printed()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId);
        var standardError = new List<string>();
        await using var client = await McpTestClient.StdioAsync(_server.BaseAddress, minted.Token, standardError);
        await client.CallOkAsync("get_me");

        await factory.WithAdminAsync(admin => admin.RevokeTokenAsync(minted.Record.Prefix));

        var error = await client.CallRefusedAsync("get_me", "unauthenticated");
        Assert.Contains("revoked", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        lock (standardError)
        {
            Assert.NotEmpty(standardError);
            Assert.DoesNotContain(standardError, line => line.Contains(minted.Token[10..], StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer hsk_test_x")]
    [InlineData("sk_live_123")]
    public async Task Without_an_hsk_token_it_refuses_to_start_with_one_line_on_stderr_and_nothing_on_stdout(string? token)
    {
        var environment = new Dictionary<string, string> { ["HOURSMITH_API_URL"] = _server.BaseAddress };
        if (token is not null)
        {
            environment["HOURSMITH_API_TOKEN"] = token;
        }

        var result = await AppProcess.RunAsync(["mcp"], environment);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.StartsWith("error: set HOURSMITH_API_TOKEN", result.StandardError);
    }
}
