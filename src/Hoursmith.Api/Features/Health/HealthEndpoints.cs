using System.Text.Json.Serialization;
using Hoursmith.Api.Infrastructure.Redis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

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

/// <summary>The process is up and answering HTTP.</summary>
/// <param name="Status">Always <c>ok</c>.</param>
public sealed record LivenessResponse(string Status);

public static class HealthEndpoints
{
    private static readonly LivenessResponse s_alive = new("ok");

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").AllowAnonymous().WithTags("Health");
        health.MapGet("", GetReadiness)
            .WithName("GetHealth")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Check health")
            .WithDescription("Whether this instance can serve (200 while its database answers; 503 otherwise) and whether Redis answers. The same answer as /health/ready. No token needed.");
        health.MapGet("/ready", GetReadiness)
            .WithName("GetReadiness")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Check readiness")
            .WithDescription("Readiness probe: 200 while the database answers (\"degraded\" when Redis is configured and does not answer: the instance still serves, with rate limits counted per instance), 503 otherwise. Checked at most once per Health:CacheDuration (1 s). No token needed.");
        health.MapGet("/live", GetLiveness)
            .WithName("GetLiveness")
            .WithSummary("Check liveness")
            .WithDescription("Liveness probe: 200 while the process answers HTTP, whatever its dependencies say (restarting it would not bring a database back). No token needed.");
        return app;
    }

    internal static Ok<LivenessResponse> GetLiveness() => TypedResults.Ok(s_alive);

    internal static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetReadiness(
        HealthReportCache reports, [FromServices] RedisConnection? redis, CancellationToken cancellationToken)
    {
        var report = await reports.GetAsync(cancellationToken);
        var database = report.Entries.TryGetValue(HealthSetup.DatabaseCheck, out var db) && db.Status == HealthStatus.Healthy;
        // A Redis failure a request has already met shows at once, not only once the cached report runs out.
        bool? redisAnswers = redis is null ? null
            : report.Entries.TryGetValue(HealthSetup.RedisCheck, out var r) && r.Status == HealthStatus.Healthy && redis.IsAvailable;
        var checks = new HealthChecks(State(database)) { Redis = redisAnswers is { } answers ? State(answers) : null };
        // Without Redis the instance still serves (limits per instance), so a load balancer keeps it: 200.
        return !database ? TypedResults.Json(new HealthResponse("unavailable", checks), statusCode: StatusCodes.Status503ServiceUnavailable)
            : redisAnswers is false ? TypedResults.Ok(new HealthResponse("degraded", checks))
            : TypedResults.Ok(new HealthResponse("ok", checks));
    }

    private static string State(bool answers) => answers ? "ok" : "unavailable";
}
