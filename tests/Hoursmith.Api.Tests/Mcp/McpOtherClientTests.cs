using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Mcp;

/// <summary>
/// Clients that share no code with the server: the official TypeScript SDK over Streamable HTTP and
/// stdio (<c>tools/mcp/clients.mjs</c>, which also validates each structured result against the tool's
/// output schema), and the MCP Inspector CLI, both pinned in <c>tools/mcp</c> (installed by scripts/setup).
/// </summary>
public sealed class McpOtherClientTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private static readonly string s_tools = Path.Combine(AppProcess.RepositoryRoot, "tools", "mcp");
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Path.Combine(s_tools, "node_modules", ".bin", "mcp-inspector")), "The MCP clients are not installed: run scripts/setup (npm ci in tools/mcp).");
        await factory.CreateWorkspaceAsync();
        _server = await ServerProcess.StartAsync(ServerProcess.ProductionEnvironment(factory.ConnectionString));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_typescript_sdk_lists_and_calls_the_tools_over_streamable_http_and_stdio()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);

        var (exit, output, error) = await ToolProcess.RunAsync(s_tools, "node", ["clients.mjs", _server.BaseAddress, token, AppProcess.Dll]);

        Assert.True(exit == 0, error);
        Assert.DoesNotContain("unknown format", error, StringComparison.Ordinal);
        var answers = JsonDocument.Parse(output).RootElement;
        foreach (var transport in new[] { "remote", "stdio" })
        {
            var answer = answers.GetProperty(transport);
            Assert.Equal("hoursmith", answer.GetProperty("server").GetProperty("name").GetString());
            var tools = answer.GetProperty("tools").EnumerateArray().ToList();
            Assert.Equal(McpTestClient.ToolNames.Order(), tools.Select(t => t.GetProperty("name").GetString()).Order());
            Assert.All(tools.Where(t => McpTestClient.DestructiveTools.Contains(t.GetProperty("name").GetString())), t => Assert.True(t.GetProperty("destructive").GetBoolean()));
            Assert.Equal(workspace.Id.ToString(), answer.GetProperty("me").GetProperty("data").GetProperty("orgId").GetString());
            Assert.Equal("99.50", answer.GetProperty("created").GetProperty("data").GetProperty("defaultRate").GetString());
            Assert.NotEmpty(answer.GetProperty("listed").GetProperty("data").EnumerateArray());
            Assert.True(answer.GetProperty("missing").GetProperty("isError").GetBoolean());
            Assert.Equal("not_found", JsonDocument.Parse(answer.GetProperty("missing").GetProperty("text").GetString()!).RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        // Each transport created its own client: two in all, none twice.
        using var rest = workspace.Client(token);
        Assert.Equal(2, (await (await rest.GetAsync("/api/v1/clients?search=TypeScript")).ReadJsonAsync()).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task The_mcp_inspector_cli_lists_the_tools_of_the_remote_server()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);

        var (exit, output, error) = await ToolProcess.RunAsync(s_tools, Path.Combine(s_tools, "node_modules", ".bin", "mcp-inspector"),
            ["--cli", _server.BaseAddress + "/mcp", "--transport", "http", "--method", "tools/list", "--header", $"Authorization: Bearer {token}"],
            new Dictionary<string, string> { ["MCP_CATALOG_PATH"] = Path.Combine(Path.GetTempPath(), $"mcp-inspector-{Guid.NewGuid():N}.json") });

        Assert.True(exit == 0, output + error);
        var tools = JsonDocument.Parse(output).RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(McpTestClient.ToolNames.Order(), tools.Order());
    }
}
