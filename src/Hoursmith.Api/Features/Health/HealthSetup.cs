using System.Diagnostics;
using Hoursmith.Api.Data;
using Hoursmith.Api.Infrastructure.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Features.Health;

/// <summary>The <c>Health:*</c> settings.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>
    /// How long a readiness report is reused: a load balancer polling every second (or several polling at
    /// once) costs one database round trip per this interval, not one per probe. Zero: checked on every probe.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one check may take before it counts as failed.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Readiness checks on ASP.NET Core's health-check service: the database (EF Core's check, whether it can
/// connect), and Redis when configured. Redis down is <see cref="HealthStatus.Degraded"/>, not unhealthy:
/// the instance keeps serving with per-instance limits, and taking every instance out of the load balancer
/// because of a shared Redis would turn a weaker limit into an outage.
/// </summary>
public static class HealthSetup
{
    public const string DatabaseCheck = "database";
    public const string RedisCheck = "redis";
    private const string ReadyTag = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.Section))
            .Validate(o => o.CacheDuration >= TimeSpan.Zero, "Health:CacheDuration must not be negative.")
            .Validate(o => o.CheckTimeout > TimeSpan.Zero, "Health:CheckTimeout must be positive.")
            .ValidateOnStart();
        var checks = services.AddHealthChecks().AddDbContextCheck<HoursmithDb>(DatabaseCheck, HealthStatus.Unhealthy, [ReadyTag]);
        if (RedisOptions.IsConfiguredIn(configuration))
        {
            checks.AddCheck<RedisHealthCheck>(RedisCheck, HealthStatus.Degraded, [ReadyTag]);
        }

        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<HealthOptions>>((o, health) =>
        {
            foreach (var registration in o.Registrations)
            {
                registration.Timeout = health.Value.CheckTimeout;
            }
        });
        services.AddSingleton<HealthReportCache>();
        return services;
    }

    internal static bool IsReadinessCheck(HealthCheckRegistration registration) => registration.Tags.Contains(ReadyTag);
}

/// <summary>Pings Redis (bounded by <c>Redis:TimeoutMilliseconds</c>); the outcome also updates the connection's state.</summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await redis.CheckAsync()
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "Redis does not answer; rate limits are counted per instance.");
}

/// <summary>
/// The last readiness report, reused for <see cref="HealthOptions.CacheDuration"/> after it was made;
/// concurrent probes while a check runs wait for that one run. Real (monotonic) time, not the app's clock.
/// </summary>
public sealed class HealthReportCache(HealthCheckService checks, IOptions<HealthOptions> options)
{
    private readonly long _cacheTicks = (long)(options.Value.CacheDuration.TotalSeconds * Stopwatch.Frequency);
    private readonly Lock _lock = new();
    private Task<HealthReport>? _current;
    private long _expiresAt;

    public Task<HealthReport> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is null || (current.IsCompleted && Stopwatch.GetTimestamp() >= Volatile.Read(ref _expiresAt)))
        {
            lock (_lock)
            {
                current = _current;
                if (current is null || (current.IsCompleted && Stopwatch.GetTimestamp() >= _expiresAt))
                {
                    // Not tied to this probe's cancellation: other probes may be waiting for the same run.
                    current = RunAsync();
                    Volatile.Write(ref _current, current);
                }
            }
        }

        return current.IsCompleted ? current : current.WaitAsync(cancellationToken);
    }

    private async Task<HealthReport> RunAsync()
    {
        await Task.Yield(); // leave the lock before the checks run
        var report = await checks.CheckHealthAsync(HealthSetup.IsReadinessCheck, CancellationToken.None);
        Volatile.Write(ref _expiresAt, Stopwatch.GetTimestamp() + _cacheTicks);
        return report;
    }
}
