using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Hoursmith.Api.Mcp;

/// <summary>One REST request a tool makes: method, path and query under the server's root, JSON body, Idempotency-Key.</summary>
public sealed record ApiCall(string Method, string PathAndQuery, string? JsonBody = null, string? IdempotencyKey = null);

/// <summary>The API's answer: status, body (JSON, or empty for 204) and its <c>Retry-After</c>, if any.</summary>
public sealed record ApiAnswer(int StatusCode, string Body, string? RetryAfter = null)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>
/// How tools reach the REST API: in process through the server's own pipeline (remote <c>/mcp</c>) or
/// over HTTP (stdio). Everything else about a tool call is <see cref="ToolRunner"/>'s, shared by both.
/// </summary>
public interface IApiClient
{
    Task<ApiAnswer> SendAsync(ApiCall call, CancellationToken cancellationToken);
}

/// <summary>
/// Runs a tool call as its one REST request: the arguments become the path id, the query string
/// (GET, DELETE) or the JSON body (POST, PATCH); a POST carries an <c>Idempotency-Key</c> derived from
/// the MCP request, so a retried call replays instead of acting twice. A 2xx answer is returned as
/// text and <c>structuredContent</c>; any other is a tool error (<c>isError</c>) carrying the API's
/// error envelope. Permissions, validation and money-blindness are the API's, never decided here.
/// </summary>
public sealed class ToolRunner(IApiClient api, TimeProvider time)
{
    public const string OpenApiPath = "/api/openapi.json";
    private const string ApiPrefix = "/api/v1";

    /// <summary>The catalogue, built from the document the API serves.</summary>
    public async Task<ToolCatalog> LoadCatalogAsync(CancellationToken cancellationToken)
    {
        var answer = await api.SendAsync(new ApiCall("GET", OpenApiPath), cancellationToken);
        return answer.IsSuccess
            ? ToolCatalog.FromOpenApi(answer.Body)
            : throw new InvalidOperationException($"The API did not serve its OpenAPI document ({answer.StatusCode}).");
    }

    /// <param name="idempotencyKey">The key for this call's POST (see <see cref="IdempotencyKeyFor"/>).</param>
    public async Task<CallToolResult> CallAsync(ToolOperation tool, IDictionary<string, JsonElement>? arguments, string idempotencyKey, CancellationToken cancellationToken)
    {
        var remaining = new Dictionary<string, JsonElement>(arguments ?? new Dictionary<string, JsonElement>(), StringComparer.Ordinal);
        var path = tool.Path;
        foreach (var name in PathParameters(tool.Path))
        {
            string value;
            if (remaining.Remove(name, out var given) && given.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                value = Scalar(given);
            }
            else if (tool.StopsTimer && await RunningTimerIdAsync(cancellationToken) is { } running)
            {
                if (running.Answer is { } refused)
                {
                    return Error(refused);
                }

                value = running.Id!;
            }
            else
            {
                return Error(new ApiAnswer(StatusCodes.Status422UnprocessableEntity, ErrorJson("validation_error",
                    $"The tool {tool.Name} needs the argument {name}.", new JsonObject { [name] = "required" })));
            }

            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        var call = tool.Method is "GET" or "DELETE"
            ? new ApiCall(tool.Method, ApiPrefix + path + QueryString(remaining))
            : new ApiCall(tool.Method, ApiPrefix + path, Body(tool, remaining), tool.Method == "POST" ? idempotencyKey : null);
        var answer = await api.SendAsync(call, cancellationToken);
        if (!answer.IsSuccess)
        {
            return Error(answer);
        }

        var structured = answer.Body.Length == 0
            ? new JsonObject { ["deleted"] = true, ["id"] = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]) }.ToJsonString()
            : answer.Body;
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = structured }],
            StructuredContent = JsonElement.Parse(structured),
        };
    }

    /// <summary>
    /// A key unique to one MCP request: the session (or stdio process) and the JSON-RPC id, hashed so
    /// it is printable and short. The API keeps keys per member, so another token never meets it.
    /// </summary>
    public static string IdempotencyKeyFor(string scope, string requestId, string toolName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}\n{requestId}\n{toolName}"));
        return "mcp-" + Convert.ToHexStringLower(hash)[..48];
    }

    private sealed record RunningTimer(string? Id, ApiAnswer? Answer);

    private async Task<RunningTimer?> RunningTimerIdAsync(CancellationToken cancellationToken)
    {
        var answer = await api.SendAsync(new ApiCall("GET", ApiPrefix + "/time-entries/running"), cancellationToken);
        if (!answer.IsSuccess)
        {
            return new RunningTimer(null, answer);
        }

        return JsonNode.Parse(answer.Body)?["data"]?["id"]?.GetValue<string>() is { } id
            ? new RunningTimer(id, null)
            : new RunningTimer(null, new ApiAnswer(StatusCodes.Status404NotFound, ErrorJson("not_found", "No timer is running for you; nothing to stop.")));
    }

    private string Body(ToolOperation tool, Dictionary<string, JsonElement> arguments)
    {
        var body = new JsonObject();
        foreach (var (name, value) in arguments)
        {
            body[name] = JsonNode.Parse(value.GetRawText());
        }

        if (tool.StartsTimer)
        {
            // Whole microseconds, as the API stores timestamps.
            var now = time.GetUtcNow();
            body["startedAt"] = now.AddTicks(-(now.Ticks % 10)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        }

        return body.ToJsonString();
    }

    private static string QueryString(Dictionary<string, JsonElement> arguments)
    {
        var pairs = arguments
            .Where(a => a.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            .Select(a => Uri.EscapeDataString(a.Key) + "=" + Uri.EscapeDataString(Scalar(a.Value)))
            .ToList();
        return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs);
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => string.Join(',', value.EnumerateArray().Select(Scalar)),
        _ => value.GetRawText(),
    };

    private static IEnumerable<string> PathParameters(string path) =>
        path.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1]);

    private static CallToolResult Error(ApiAnswer answer)
    {
        var envelope = answer.Body.Length > 0 ? answer.Body : ErrorJson("error", $"The API answered {answer.StatusCode}.");
        List<ContentBlock> content = [new TextContentBlock { Text = envelope }];
        if (answer.RetryAfter is { } seconds)
        {
            content.Add(new TextContentBlock { Text = $"Rate limited: retry after {seconds} seconds." });
        }

        return new CallToolResult { IsError = true, Content = content };
    }

    /// <summary>The API's envelope, for the few refusals decided before a request is sent (a missing path id, no running timer).</summary>
    internal static string ErrorJson(string code, string message, JsonObject? fields = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (fields is not null)
        {
            error["fields"] = fields;
        }

        return new JsonObject { ["error"] = error }.ToJsonString();
    }
}
