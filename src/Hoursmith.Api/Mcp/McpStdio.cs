using System.Net.Http.Headers;
using Hoursmith.Api.Infrastructure.Idempotency;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Hoursmith.Api.Mcp;

/// <summary>
/// The local MCP server (<c>Hoursmith.Api mcp</c>, mcp.md): the same tools as <c>/mcp</c>, run by the
/// same <see cref="ToolRunner"/>, but each tool's request goes to the REST API over HTTP(S) with
/// <c>HOURSMITH_API_TOKEN</c>. stdout carries MCP messages only; logs go to stderr; the token is
/// never printed. It needs no database: everything, permissions included, is the API's.
/// </summary>
public static class McpStdio
{
    public const string TokenVariable = "HOURSMITH_API_TOKEN";
    public const string UrlVariable = "HOURSMITH_API_URL";

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var token = Environment.GetEnvironmentVariable(TokenVariable)?.Trim();
        if (string.IsNullOrEmpty(token) || !token.StartsWith("hsk_", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"error: set {TokenVariable} to a Hoursmith API token (it starts with hsk_).");
            return 2;
        }

        var url = Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } configured ? configured : HoursmithServices.DefaultUrls;
        if (!Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"error: {UrlVariable} must be an absolute http(s) URL such as {HoursmithServices.DefaultUrls}.");
            return 2;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("hoursmith-mcp", "1"));
        var runner = new ToolRunner(new HttpApiClient(http), TimeProvider.System);
        var catalog = new ToolCatalogCache();
        // One stdio process is one MCP session: its id scopes the idempotency keys of its writes.
        var session = Guid.NewGuid().ToString();

        builder.Services.AddMcpServer(McpSetup.Configure)
            .WithStdioServerTransport()
            .WithListToolsHandler(async (_, ct) => new ListToolsResult { Tools = [.. (await catalog.GetAsync(runner, ct)).Tools] })
            .WithCallToolHandler(async (request, ct) =>
            {
                var tool = (await catalog.GetAsync(runner, ct)).Find(request.Params!.Name)
                    ?? throw new McpProtocolException($"Unknown tool: {request.Params.Name}.", McpErrorCode.InvalidParams);
                var key = ToolRunner.IdempotencyKeyFor(session, request.JsonRpcRequest.Id.ToString(), tool.Name);
                return await runner.CallAsync(tool, request.Params.Arguments, key, ct);
            });
        await builder.Build().RunAsync(cancellationToken);
        return 0;
    }

    /// <summary>The REST API over HTTP: the answer's status, body and Retry-After; an unreachable server is a 503 in the envelope.</summary>
    private sealed class HttpApiClient(HttpClient http) : IApiClient
    {
        public async Task<ApiAnswer> SendAsync(ApiCall call, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.PathAndQuery.TrimStart('/'));
            if (call.JsonBody is not null)
            {
                request.Content = new StringContent(call.JsonBody, System.Text.Encoding.UTF8, "application/json");
            }

            if (call.IdempotencyKey is not null)
            {
                request.Headers.Add(IdempotencyMiddleware.HeaderName, call.IdempotencyKey);
            }

            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? ((long)delta.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                return new ApiAnswer((int)response.StatusCode, body, retryAfter);
            }
            catch (HttpRequestException e)
            {
                return new ApiAnswer(StatusCodes.Status503ServiceUnavailable,
                    ToolRunner.ErrorJson("unavailable", $"The Hoursmith API at {http.BaseAddress} did not answer ({e.HttpRequestError})."));
            }
        }
    }
}
