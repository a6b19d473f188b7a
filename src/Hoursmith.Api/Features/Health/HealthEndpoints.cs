using Hoursmith.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hoursmith.Api.Features.Health;

public sealed record HealthResponse(string Status);

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth)
            .AllowAnonymous()
            .WithTags("Health")
            .WithName("GetHealth")
            .WithSummary("Whether this instance can serve (its database is reachable). No token needed.");
        return app;
    }

    internal static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealth(HoursmithDb db, CancellationToken cancellationToken) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? TypedResults.Ok(new HealthResponse("ok"))
            : TypedResults.Json(new HealthResponse("unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable);
}
