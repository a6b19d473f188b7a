using System.Text.Json.Serialization;
using Hoursmith.Api.Data;
using Hoursmith.Api.Infrastructure.Redis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hoursmith.Api.Features.Health;

/// <summary>Whether this instance can serve, and what each dependency said.</summary>
/// <param name="Status">
/// <c>ok</c>; <c>degraded</c> when the instance serves but Redis is configured and does not answer (rate
/// limits are then counted per instance); <c>unavailable</c> (with 503) when the database does not answer.
/// </param>
/// <param name="Checks">Each dependency: <c>ok</c> or <c>unavailable</c>.</param>
public sealed record HealthResponse(string Status, HealthChecks Checks);

/// <param name="Database"><c>ok</c> or <c>unavailable</c>.</param>
public sealed record HealthChecks(string Database)
{
    /// <summary><c>ok</c> or <c>unavailable</c>; absent when Redis is not configured (one instance).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Redis { get; init; }
}

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth)
            .AllowAnonymous()
            .WithTags("Health")
            .WithName("GetHealth")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Check health")
            .WithDescription("Whether this instance can serve (200 while its database answers; 503 otherwise) and whether Redis answers. No token needed.");
        return app;
    }

    internal static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealth(
        HoursmithDb db, [FromServices] RedisConnection? redis, CancellationToken cancellationToken)
    {
        var redisAnswers = redis?.CheckAsync();
        var database = await db.Database.CanConnectAsync(cancellationToken);
        var checks = new HealthChecks(State(database)) { Redis = redisAnswers is null ? null : State(await redisAnswers) };
        // Without Redis the instance still serves (limits per instance), so a load balancer keeps it: 200.
        return !database ? TypedResults.Json(new HealthResponse("unavailable", checks), statusCode: StatusCodes.Status503ServiceUnavailable)
            : checks.Redis is "unavailable" ? TypedResults.Ok(new HealthResponse("degraded", checks))
            : TypedResults.Ok(new HealthResponse("ok", checks));
    }

    private static string State(bool answers) => answers ? "ok" : "unavailable";
}
