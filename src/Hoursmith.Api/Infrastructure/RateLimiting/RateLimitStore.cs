using System.Collections.Concurrent;
using System.Net;

namespace Hoursmith.Api.Infrastructure.RateLimiting;

/// <summary>
/// Whose budget a request spends: a token's, or, without a valid token, a client IP's. A client IP has one
/// budget per <see cref="ClientBucket"/>: API requests without a valid token (<c>ip</c>) and web sign-in attempts
/// (<c>sign-in</c>) are counted apart, so a broken integration cannot lock its office out of signing in.
/// </summary>
public readonly record struct RateLimitKey(Guid TokenId, IPAddress? ClientIp, string ClientBucket = RateLimitKey.ApiBucket)
{
    public const string ApiBucket = "ip";
    public const string SignInBucket = "sign-in";

    public static RateLimitKey ForToken(Guid tokenId) => new(tokenId, null);

    public static RateLimitKey ForClient(IPAddress? ip) => new(Guid.Empty, ip ?? IPAddress.None);

    public static RateLimitKey ForSignIn(IPAddress? ip) => new(Guid.Empty, ip ?? IPAddress.None, SignInBucket);
}

/// <summary>The answer for one request: allowed or not, and what the headers say.</summary>
public readonly record struct RateLimitDecision(
    bool Allowed,
    RateLimitPolicy Policy,
    int SustainedRemaining,
    long SustainedResetAt,
    int BurstRemaining,
    long BurstResetAt,
    long RetryAfterTicks)
{
    /// <summary>Which bucket refused the request (for the refusals metric); null when it was allowed.</summary>
    public RateLimitBucket? RefusedBy { get; init; }
}

/// <summary>A policy's buckets. When both refuse, the sustained one is named: it is the longer wait.</summary>
public enum RateLimitBucket
{
    Burst,
    Sustained,
}

/// <summary>
/// Where bucket state lives. One call per request, atomic across both buckets: a request that
/// either bucket refuses spends nothing. The in-process store serves one instance; a shared
/// store (Redis, with the same arithmetic in one script) serves many.
/// </summary>
public interface IRateLimitStore
{
    ValueTask<RateLimitDecision> AcquireAsync(RateLimitKey key, RateLimitPolicy policy, long now, CancellationToken cancellationToken);
}

/// <summary>Buckets in this process's memory, each pair updated under its own lock.</summary>
public sealed class InMemoryRateLimitStore : IRateLimitStore
{
    private readonly ConcurrentDictionary<RateLimitKey, Buckets> _buckets = new();
    private long _nextSweep;

    public ValueTask<RateLimitDecision> AcquireAsync(RateLimitKey key, RateLimitPolicy policy, long now, CancellationToken cancellationToken)
    {
        RateLimitDecision decision;
        while (true)
        {
            var buckets = _buckets.GetOrAdd(key, static _ => new Buckets());
            lock (buckets)
            {
                // A sweep may have dropped this pair between the lookup and the lock: start over with the live one.
                if (buckets.Dropped)
                {
                    continue;
                }

                decision = Decide(ref buckets.BurstTat, ref buckets.SustainedTat, policy, now);
                break;
            }
        }

        SweepNow(now, policy.Sustained.Period.Ticks);
        return ValueTask.FromResult(decision);
    }

    /// <summary>Both buckets judged on the same instant; state changes only when both allow.</summary>
    public static RateLimitDecision Decide(ref long burstTat, ref long sustainedTat, RateLimitPolicy policy, long now)
    {
        var sustained = Gcra.Evaluate(sustainedTat, now, policy.Sustained);
        var burst = policy.Burst is { } burstSpec ? Gcra.Evaluate(burstTat, now, burstSpec) : sustained;
        var allowed = sustained.Allowed && burst.Allowed;
        if (allowed)
        {
            sustainedTat = sustained.NewTat;
            burstTat = policy.Burst is null ? burstTat : burst.NewTat;
        }

        var retryAfter = allowed ? 0 : Math.Max(sustained.Allowed ? 0 : sustained.RetryAfterTicks, burst.Allowed ? 0 : burst.RetryAfterTicks);
        return new RateLimitDecision(allowed, policy,
            allowed ? sustained.Remaining : 0, sustained.ResetAt,
            allowed ? burst.Remaining : 0, burst.ResetAt,
            retryAfter)
        {
            RefusedBy = allowed ? null : sustained.Allowed ? RateLimitBucket.Burst : RateLimitBucket.Sustained,
        };
    }

    /// <summary>Now and then, forgets buckets that are full again (the same as never seen), so client IPs do not pile up.</summary>
    private void SweepNow(long now, long period)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now < next || Interlocked.CompareExchange(ref _nextSweep, now + period, next) != next)
        {
            return;
        }

        foreach (var (key, buckets) in _buckets)
        {
            lock (buckets)
            {
                if (buckets.SustainedTat <= now && buckets.BurstTat <= now)
                {
                    buckets.Dropped = true;
                    _buckets.TryRemove(new KeyValuePair<RateLimitKey, Buckets>(key, buckets));
                }
            }
        }
    }

    private sealed class Buckets
    {
        public long BurstTat;
        public long SustainedTat;
        public bool Dropped;
    }
}
