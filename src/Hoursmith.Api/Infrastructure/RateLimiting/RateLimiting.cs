using System.Collections.Frozen;
using System.Globalization;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Http;
using Hoursmith.Api.Infrastructure.Observability;
using Hoursmith.Api.Infrastructure.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Infrastructure.RateLimiting;

/// <summary>
/// Rate limits of conventions.md, as one piece of middleware in two steps around authorization:
/// every API request spends from its token's two buckets (or, without a valid token, from its
/// client IP's), and every response carries the headers; a refused request is answered 429 — at
/// once when it has no valid token (so guessing tokens is throttled), and after authorization
/// otherwise (auth.md's order: 401, 402, 403, then 429). A 429 request never reaches its handler.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            // A budget must refill at least one request per tick; refuse to start rather than fail every request.
            .Validate(o => new[] { o.Studio.Burst, o.Studio.Sustained, o.Agency.Burst, o.Agency.Sustained, o.Unauthenticated }
                .All(b => b.Limit >= 1 && b.Period > TimeSpan.Zero && b.ToSpec().EmissionTicks >= 1),
                "Every RateLimits budget needs Limit >= 1 and a Period of at least Limit × 100 ns.")
            .ValidateOnStart();
        services.AddSingleton<RateLimitPolicies>();
        // With Redis configured (AddRedis), buckets are shared by every instance; otherwise they live in this process.
        if (RedisOptions.IsConfiguredIn(configuration))
        {
            services.TryAddSingleton<IRateLimitStore, RedisRateLimitStore>();
        }

        services.TryAddSingleton<IRateLimitStore, InMemoryRateLimitStore>();
        return services;
    }

    /// <summary>After authentication, before authorization: spend, set headers, refuse unauthenticated excess.</summary>
    public static IApplicationBuilder UseRateLimitCounting(this IApplicationBuilder app) => app.UseMiddleware<CountingMiddleware>();

    /// <summary>After authorization: refuse a token over its budget.</summary>
    public static IApplicationBuilder UseRateLimitEnforcement(this IApplicationBuilder app) => app.Use(static (context, next) =>
        context.Features.Get<RateLimitRefusal>() is { } refusal ? WriteRefusalAsync(context, refusal.Decision) : next(context));

    private sealed record RateLimitRefusal(RateLimitDecision Decision);

    private sealed class CountingMiddleware(RequestDelegate next, RateLimitPolicies policies, IRateLimitStore store, TimeProvider time)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            if (!policies.Enabled || context.GetEndpoint() is not { } endpoint || !EndpointAuthorization.RequiresToken(endpoint.Metadata))
            {
                await next(context);
                return;
            }

            var caller = context.Features.Get<Caller>();
            if (caller is not null && DispatchingEndpoint.Is(endpoint))
            {
                await next(context); // each request it dispatches is counted instead
                return;
            }

            var now = time.GetUtcNow().UtcTicks;
            var decision = caller is null
                ? await store.AcquireAsync(RateLimitKey.ForClient(context.Connection.RemoteIpAddress), policies.Unauthenticated, now, context.RequestAborted)
                : await store.AcquireAsync(RateLimitKey.ForToken(caller.TokenId), policies.For(caller.Plan), now, context.RequestAborted);
            WriteHeaders(context.Response.Headers, decision, now);

            if (!decision.Allowed)
            {
                if (caller is null)
                {
                    await WriteRefusalAsync(context, decision);
                    return;
                }

                context.Features.Set(new RateLimitRefusal(decision));
            }

            await next(context);
        }
    }

    private static Task WriteRefusalAsync(HttpContext context, RateLimitDecision decision)
    {
        context.RequestServices.GetRequiredService<HoursmithMetrics>()
            .RateLimitRefused(context.Features.Get<Caller>()?.Plan, decision.RefusedBy ?? RateLimitBucket.Sustained);
        context.Response.Headers.RetryAfter = Seconds(decision.RetryAfterTicks).ToString(CultureInfo.InvariantCulture);
        return ErrorWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests);
    }

    private static void WriteHeaders(IHeaderDictionary headers, RateLimitDecision decision, long now)
    {
        var policy = decision.Policy;
        headers["X-RateLimit-Limit"] = policy.Sustained.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.SustainedRemaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = UnixSeconds(decision.SustainedResetAt).ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = policy.Header;
        var sustained = $"\"sustained\";r={decision.SustainedRemaining};t={Seconds(decision.SustainedResetAt - now, minimum: 0)}";
        headers["RateLimit"] = policy.Burst is null
            ? sustained
            : $"\"burst\";r={decision.BurstRemaining};t={Seconds(decision.BurstResetAt - now, minimum: 0)}, {sustained}";
    }

    /// <summary>Whole seconds, rounded up, so waiting that long is always enough.</summary>
    internal static long Seconds(long ticks, long minimum = 1) => Math.Max(minimum, (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);

    internal static long UnixSeconds(long utcTicks) => Seconds(utcTicks - DateTime.UnixEpoch.Ticks, minimum: 0);
}

/// <summary>The configured budgets, built once.</summary>
public sealed class RateLimitPolicies
{
    private readonly FrozenDictionary<Data.Entities.Plan, RateLimitPolicy> _byPlan;

    public RateLimitPolicies(IOptions<RateLimitOptions> options)
    {
        var settings = options.Value;
        Enabled = settings.Enabled;
        _byPlan = Enum.GetValues<Data.Entities.Plan>().ToFrozenDictionary(plan => plan, settings.ForPlan);
        Unauthenticated = settings.ForUnauthenticated();
    }

    public bool Enabled { get; }

    public RateLimitPolicy Unauthenticated { get; }

    public RateLimitPolicy For(Data.Entities.Plan plan) => _byPlan[plan];
}
