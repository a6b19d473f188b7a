using System.Net;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Platform;
using ModelContextProtocol.Protocol;
using Role = Hoursmith.Api.Data.Entities.Role;

namespace Hoursmith.Api.Tests.Mcp;

/// <summary>On <c>/mcp</c> a tool call counts as one request against the token's budgets; the MCP traffic around it does not.</summary>
public sealed class McpRateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    [Fact]
    public async Task A_studio_token_gets_30_tool_calls_in_10_seconds_and_the_31st_is_a_rate_limited_tool_error()
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Studio);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        await using var client = await McpTestClient.RemoteAsync(factory, token);
        await client.ListToolsAsync(); // connecting and listing spend nothing

        for (var i = 0; i < 30; i++)
        {
            await client.CallOkAsync("get_me");
        }

        var result = await client.CallToolAsync("get_me");
        Assert.True(result.IsError);
        Assert.Contains("\"rate_limited\"", Assert.IsType<TextContentBlock>(result.Content[0]).Text);
        Assert.StartsWith("Rate limited: retry after ", Assert.IsType<TextContentBlock>(result.Content[1]).Text);

        // The same budget as the REST API's.
        using var rest = workspace.Client(token);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await rest.GetAsync("/api/v1/me")).StatusCode);
    }
}
