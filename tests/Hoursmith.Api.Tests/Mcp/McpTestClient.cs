using System.Net.Http.Headers;
using System.Text.Json;
using Hoursmith.Api.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Hoursmith.Api.Tests.Mcp;

/// <summary>The C# SDK's own client, connected to the remote server (<c>/mcp</c>) or to <c>Hoursmith.Api mcp</c> on stdio.</summary>
public static class McpTestClient
{
    /// <summary>The 31 documented tools and the two timer tools (mcp.md), written out so a missing or extra tool fails.</summary>
    public static readonly string[] ToolNames =
    [
        "get_me", "get_organization",
        "list_clients", "get_client", "create_client", "update_client", "delete_client",
        "list_projects", "get_project", "create_project", "update_project", "archive_project",
        "list_tasks", "get_task", "create_task", "update_task", "archive_task",
        "list_time_entries", "get_time_entry", "get_running_timer", "create_time_entry", "update_time_entry", "delete_time_entry",
        "list_expenses", "get_expense", "create_expense", "update_expense", "delete_expense",
        "list_invoices", "get_invoice", "list_members",
        "start_timer", "stop_timer",
    ];

    public static readonly string[] DestructiveTools = ["delete_client", "archive_project", "archive_task", "delete_time_entry", "delete_expense"];

    /// <summary>A client of <c>/mcp</c> on the factory's in-memory server (<paramref name="protocolVersion"/> null: the SDK's default negotiation).</summary>
    public static Task<McpClient> RemoteAsync(ApiFactory factory, string token, string? protocolVersion = null)
    {
        var http = factory.CreateDefaultClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http, NullLoggerFactory.Instance, ownsHttpClient: true);
        return McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion });
    }

    /// <summary>Launches the built executable's <c>mcp</c> command against <paramref name="apiUrl"/> with <paramref name="token"/>.</summary>
    public static Task<McpClient> StdioAsync(string apiUrl, string token, List<string>? standardError = null)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "hoursmith",
            Command = "dotnet",
            Arguments = [AppProcess.Dll, "mcp"],
            WorkingDirectory = Path.GetTempPath(),
            EnvironmentVariables = new Dictionary<string, string?>
            {
                ["HOURSMITH_API_TOKEN"] = token,
                ["HOURSMITH_API_URL"] = apiUrl,
                ["DOTNET_ENVIRONMENT"] = "Testing",
            },
            StandardErrorLines = line =>
            {
                if (standardError is not null)
                {
                    lock (standardError)
                    {
                        standardError.Add(line);
                    }
                }
            },
        });
        return McpClient.CreateAsync(transport);
    }

    /// <summary>Calls a tool that must succeed; returns its structured content (the API's JSON), after checking the text says the same.</summary>
    public static async Task<JsonElement> CallOkAsync(this McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallToolAsync(tool, Arguments(arguments));
        var text = Assert.IsType<TextContentBlock>(result.Content[0]).Text;
        Assert.False(result.IsError == true, $"{tool} failed: {text}");
        var structured = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(text).RootElement), JsonSerializer.Serialize(structured));
        return structured;
    }

    /// <summary>Calls a tool that must be refused with the API's error <paramref name="code"/>; returns the envelope's error.</summary>
    public static async Task<JsonElement> CallRefusedAsync(this McpClient client, string tool, string code, object? arguments = null)
    {
        var result = await client.CallToolAsync(tool, Arguments(arguments));
        var text = Assert.IsType<TextContentBlock>(result.Content[0]).Text;
        Assert.True(result.IsError == true, $"{tool} was expected to fail with {code}: {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.True(code == error.GetProperty("code").GetString(), $"{tool}: expected {code}, got {text}");
        return error.Clone();
    }

    public static string Id(this JsonElement answer) => answer.GetProperty("data").GetProperty("id").GetString()!;

    private static Dictionary<string, object?> Arguments(object? arguments) =>
        arguments is null ? [] : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
}
