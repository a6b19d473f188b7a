using System.Diagnostics.Metrics;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.RateLimiting;
using Hoursmith.Api.Infrastructure.Redis;

namespace Hoursmith.Api.Infrastructure.Observability;

/// <summary>
/// The server's own meter, <see cref="MeterName"/>, and its instruments, defined once. Requests by route
/// and status are not here: ASP.NET Core measures them (<c>http.server.request.duration</c>). Other parts
/// add their instruments to <see cref="Meter"/>; recording is a no-op unless a listener (the metrics
/// exporter) is on. Tag lists are built once, so recording allocates nothing.
/// </summary>
public sealed class HoursmithMetrics
{
    public const string MeterName = "Hoursmith.Api";

    private readonly Counter<long> _rateLimitRefusals;
    private readonly Counter<long> _idempotentReplays;
    private readonly Counter<long> _idempotencyConflicts;

    // [plan or "unauthenticated"][bucket]: every combination's tags, made once.
    private readonly KeyValuePair<string, object?>[][][] _refusalTags;
    private readonly KeyValuePair<string, object?>[][] _conflictTags;

    public HoursmithMetrics(IMeterFactory meterFactory, RedisConnection? redis = null)
    {
        Meter = meterFactory.Create(MeterName);
        _rateLimitRefusals = Meter.CreateCounter<long>("hoursmith.rate_limit.refusals", "{request}",
            "Requests refused with 429, by the workspace's plan (unauthenticated: per client IP) and the bucket that refused.");
        _idempotentReplays = Meter.CreateCounter<long>("hoursmith.idempotency.replays", "{request}",
            "POSTs answered with the stored response of an earlier request with the same Idempotency-Key.");
        _idempotencyConflicts = Meter.CreateCounter<long>("hoursmith.idempotency.conflicts", "{request}",
            "POSTs refused with 409 because of their Idempotency-Key, by reason.");
        if (redis is not null)
        {
            // Observed only when scraped: no cost per request.
            Meter.CreateObservableGauge("hoursmith.redis.fallback", () => redis.IsAvailable ? 0 : 1, "{state}",
                "1 while Redis does not answer and this instance carries on alone (rate limits counted per instance), 0 while Redis is in use.");
        }

        var plans = Enum.GetValues<Plan>().Select(p => p.ToString().ToLowerInvariant()).Append("unauthenticated");
        _refusalTags = plans
            .Select(plan => Enum.GetValues<RateLimitBucket>().Select(bucket => Tags(("plan", plan), ("bucket", bucket.ToString().ToLowerInvariant()))).ToArray())
            .ToArray();
        _conflictTags = Enum.GetValues<IdempotencyConflict>().Select(reason => Tags(("reason", Snake(reason.ToString())))).ToArray();
    }

    /// <summary>The meter every instrument of this server belongs to; add new instruments here (webhook deliveries, MCP tool calls).</summary>
    public Meter Meter { get; }

    /// <param name="plan">The caller's plan; null for a request without a valid token (limited per client IP).</param>
    public void RateLimitRefused(Plan? plan, RateLimitBucket bucket) =>
        _rateLimitRefusals.Add(1, _refusalTags[plan is { } p ? (int)p : _refusalTags.Length - 1][(int)bucket]);

    public void IdempotentReplay() => _idempotentReplays.Add(1);

    public void IdempotencyConflict(IdempotencyConflict reason) => _idempotencyConflicts.Add(1, _conflictTags[(int)reason]);

    private static KeyValuePair<string, object?>[] Tags(params (string Key, string Value)[] tags) =>
        tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)).ToArray();

    private static string Snake(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));
}

/// <summary>Why a POST's Idempotency-Key was refused with 409.</summary>
public enum IdempotencyConflict
{
    /// <summary>The key was used for another path or body.</summary>
    DifferentRequest,

    /// <summary>The first request with the key has not finished.</summary>
    InProgress,

    /// <summary>The key was stored before keys were kept per member, and whose it was is unknown.</summary>
    KeyBeforeMemberScope,
}
