using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hoursmith.Api.Infrastructure.OpenApi;

/// <summary>
/// The headers responses carry beyond the body: the rate-limit budget on every response to a token
/// (RateLimiting writes them before anything else runs, so errors carry them too), Retry-After on a 429,
/// and Idempotent-Replayed on a replayed POST. Declared once as components and referenced.
/// </summary>
public static class ResponseHeaders
{
    private const string RetryAfter = "Retry-After";
    private const string Replayed = Idempotency.IdempotencyMiddleware.ReplayedHeaderName;
    private static readonly string[] s_rateLimit = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "RateLimit-Policy", "RateLimit"];

    public static IReadOnlyDictionary<string, OpenApiHeader> Components { get; } = new Dictionary<string, OpenApiHeader>
    {
        ["X-RateLimit-Limit"] = Header(JsonSchemaType.Integer, "Requests the token may make per sustained window (its plan's budget).", 600),
        ["X-RateLimit-Remaining"] = Header(JsonSchemaType.Integer, "Requests left in the current sustained window.", 598),
        ["X-RateLimit-Reset"] = Header(JsonSchemaType.Integer, "When the sustained window has room again, in Unix seconds.", 1796645400),
        ["RateLimit-Policy"] = Header(JsonSchemaType.String, "The budgets (IETF RateLimit headers draft): burst and sustained quota and window.", "\"burst\";q=30;w=10, \"sustained\";q=600;w=60"),
        ["RateLimit"] = Header(JsonSchemaType.String, "What is left of each budget and when it resets, in seconds (IETF draft).", "\"burst\";r=28;t=10, \"sustained\";r=598;t=60"),
        [RetryAfter] = Header(JsonSchemaType.Integer, "Seconds to wait before retrying; waiting that long is always enough.", 7),
        [Replayed] = Header(JsonSchemaType.String, "true when this is the stored response to an earlier request with the same Idempotency-Key.", "true"),
    };

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!Auth.EndpointAuthorization.RequiresToken(context.Description.ActionDescriptor.EndpointMetadata) || operation.Responses is null)
        {
            return Task.CompletedTask;
        }

        var isPost = string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase);
        var document = context.Document!;
        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse described)
            {
                continue;
            }

            var headers = described.Headers ??= new Dictionary<string, IOpenApiHeader>();
            foreach (var name in s_rateLimit)
            {
                headers[name] = new OpenApiHeaderReference(name, document);
            }

            if (status == "429")
            {
                headers[RetryAfter] = new OpenApiHeaderReference(RetryAfter, document);
            }

            if (isPost && status.StartsWith('2'))
            {
                headers[Replayed] = new OpenApiHeaderReference(Replayed, document);
            }
        }

        return Task.CompletedTask;
    }

    private static OpenApiHeader Header(JsonSchemaType type, string description, System.Text.Json.Nodes.JsonNode example) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = type },
        Example = example,
    };
}
