namespace Hoursmith.Api.Infrastructure.Http;

/// <summary>
/// Marks an endpoint whose requests carry API requests instead of being one (the MCP server at
/// <c>/mcp</c>): each API request it dispatches through the pipeline is counted against the token's
/// rate limits and made idempotent on its own, so the carrier itself is neither counted (when its
/// token is valid) nor asked for an <c>Idempotency-Key</c>. A request without a valid token is still
/// counted against its client address, as on <c>/api/v1</c>.
/// </summary>
public sealed class DispatchingEndpoint
{
    public static DispatchingEndpoint Instance { get; } = new();

    public static bool Is(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<DispatchingEndpoint>() is not null;
}
