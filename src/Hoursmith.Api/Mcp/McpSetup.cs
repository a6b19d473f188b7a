using System.Reflection;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Http;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Hoursmith.Api.Mcp;

/// <summary>
/// The remote MCP server (mcp.md): Streamable HTTP at <c>/mcp</c> on the API server. The endpoint takes
/// the API's authorization (a valid token of a workspace with API access: 401 and 402 are answered
/// before any MCP session exists, with the API's <c>WWW-Authenticate</c>); each tool call is then
/// dispatched in process through the API pipeline (<see cref="InProcessApiClient"/>), where 403, 429,
/// validation, money-blindness and idempotency happen exactly as for a REST client.
/// </summary>
public static class McpSetup
{
    public const string Path = "/mcp";

    public static IServiceCollection AddHoursmithMcp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<ApiPipeline>();
        services.AddSingleton<ToolCatalogCache>();
        services.AddMcpServer(Configure)
            // Clients of the initialize handshake get a session, whose id scopes the idempotency keys of
            // their writes; 2026-07-28 clients are served statelessly (docs/mcp.md).
            .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients)
            .WithListToolsHandler(async (request, cancellationToken) =>
            {
                var (runner, _) = RunnerFor(request.Services);
                var catalog = await request.Services!.GetRequiredService<ToolCatalogCache>().GetAsync(runner, cancellationToken);
                return new ListToolsResult { Tools = [.. catalog.Tools] };
            })
            .WithCallToolHandler(async (request, cancellationToken) =>
            {
                var (runner, _) = RunnerFor(request.Services);
                var catalog = await request.Services!.GetRequiredService<ToolCatalogCache>().GetAsync(runner, cancellationToken);
                var tool = catalog.Find(request.Params!.Name)
                    ?? throw new McpProtocolException($"Unknown tool: {request.Params.Name}.", McpErrorCode.InvalidParams);
                // Without a session (stateless requests) a retry cannot be told from a new call: a fresh key each time.
                var scope = request.Server.SessionId ?? Guid.NewGuid().ToString();
                var key = ToolRunner.IdempotencyKeyFor(scope, request.JsonRpcRequest.Id.ToString(), tool.Name);
                return await runner.CallAsync(tool, request.Params.Arguments, key, cancellationToken);
            });
        return services;
    }

    public static IEndpointConventionBuilder MapHoursmithMcp(this IEndpointRouteBuilder app) =>
        app.MapMcp(Path)
            .RequireAuthorization(ApiPolicies.ApiAccess)
            .WithMetadata(DispatchingEndpoint.Instance)
            .ExcludeFromDescription();

    /// <summary>Name, version and instructions, the same for the remote and the stdio server.</summary>
    public static void Configure(McpServerOptions options)
    {
        options.ServerInfo = new Implementation
        {
            Name = "hoursmith",
            Title = "Hoursmith",
            Version = typeof(McpSetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0",
        };
        options.ServerInstructions =
            "Hoursmith time tracking and invoicing. Each tool is one call of the Hoursmith REST API with the permissions of the member " +
            "whose token is used: call get_me first to learn the role and workspace. Find ids with the list_* tools (search, filters). " +
            "A refused call returns the API's error envelope {\"error\":{\"code\",\"message\",\"fields\"}} as a tool error.";
    }

    private static (ToolRunner Runner, HttpContext Http) RunnerFor(IServiceProvider? services)
    {
        var http = services?.GetRequiredService<IHttpContextAccessor>().HttpContext
            ?? throw new InvalidOperationException("A tool call outside an HTTP request.");
        var api = new InProcessApiClient(http, http.RequestServices.GetRequiredService<ApiPipeline>(), http.RequestServices.GetRequiredService<IServiceScopeFactory>());
        return (new ToolRunner(api, http.RequestServices.GetRequiredService<TimeProvider>()), http);
    }
}

/// <summary>The tool catalogue, built once from the served OpenAPI document (which does not change while a process runs).</summary>
public sealed class ToolCatalogCache
{
    private Task<ToolCatalog>? _loading;

    public Task<ToolCatalog> GetAsync(ToolRunner runner, CancellationToken cancellationToken)
    {
        var loading = _loading;
        if (loading is null || loading.IsFaulted || loading.IsCanceled)
        {
            // Two first callers may both build it; either result is the same catalogue.
            loading = runner.LoadCatalogAsync(CancellationToken.None);
            _loading = loading;
        }

        return loading.WaitAsync(cancellationToken);
    }
}
