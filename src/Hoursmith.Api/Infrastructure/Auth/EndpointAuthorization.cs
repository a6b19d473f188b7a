using Microsoft.AspNetCore.Authorization;

namespace Hoursmith.Api.Infrastructure.Auth;

/// <summary>Whether an endpoint needs a token: the one test the limiter and the OpenAPI document share.</summary>
public static class EndpointAuthorization
{
    // GetMetadata is a cached per-type lookup: cheap enough for the limiter's per-request check.
    public static bool RequiresToken(EndpointMetadataCollection metadata) =>
        metadata.GetMetadata<IAllowAnonymous>() is null && metadata.GetMetadata<WebPageMetadata>() is null && (metadata.GetMetadata<IAuthorizeData>() is not null || metadata.GetMetadata<AuthorizationPolicy>() is not null);

    /// <inheritdoc cref="RequiresToken(EndpointMetadataCollection)"/>
    public static bool RequiresToken(IEnumerable<object> metadata) => RequiresToken(new EndpointMetadataCollection(metadata));
}

/// <summary>Marks the web pages: a session cookie authenticates them, never a token, and the API's limiter leaves them alone.</summary>
public sealed class WebPageMetadata
{
    public static WebPageMetadata Instance { get; } = new();

    private WebPageMetadata()
    {
    }
}
