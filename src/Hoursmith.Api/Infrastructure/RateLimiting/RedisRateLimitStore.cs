using Hoursmith.Api.Infrastructure.Redis;
using StackExchange.Redis;

namespace Hoursmith.Api.Infrastructure.RateLimiting;

/// <summary>
/// Buckets shared by every instance: both buckets of a request judged and spent in one Lua script,
/// one round trip, with the arithmetic of <see cref="Gcra"/> and <see cref="InMemoryRateLimitStore.Decide"/>
/// on the time this instance passes in (instances' clocks are assumed NTP-synced). While Redis is
/// unavailable the instance counts in its own memory: still a limit, never an outage.
/// </summary>
public sealed class RedisRateLimitStore(RedisConnection redis) : IRateLimitStore
{
    /// <summary>
    /// One hash per budget holder, fields <c>s</c> and <c>b</c>: each bucket's TAT in ticks. Ticks
    /// (about 6.4e17) exceed the integers a Lua number holds exactly (2^53), so they travel as decimal
    /// strings, are split in base 1e9, and the script computes only with differences from now, which
    /// are at most a period and exact. Prepared once; the client sends its SHA1 (EVALSHA) and the
    /// whole script again only when Redis has lost it (a restart).
    /// </summary>
    private static readonly LuaScript s_script = LuaScript.Prepare("""
        local function split(ticks)
          local n = string.len(ticks)
          if n <= 9 then return 0, tonumber(ticks) end
          return tonumber(string.sub(ticks, 1, n - 9)), tonumber(string.sub(ticks, n - 8))
        end

        local nowHigh, nowLow = split(@Now)

        -- A stored TAT as ticks after now; 0 when absent or past: a full bucket.
        local function ahead(tat)
          if not tat then return 0 end
          local high, low = split(tat)
          return math.max(0, (high - nowHigh) * 1e9 + (low - nowLow))
        end

        -- Ticks after now back to an absolute TAT, as a decimal string.
        local function at(ticks)
          local low = nowLow + ticks
          return string.format('%d%09d', nowHigh + math.floor(low / 1e9), low % 1e9)
        end

        -- Gcra.Evaluate, in ticks after now: allowed (1 or 0), remaining, reset (the new TAT when allowed), retry after.
        local function evaluate(start, emission, period)
          local nextTat = start + emission
          if nextTat > period then
            return 0, math.max(0, math.floor((period - start) / emission)), start, nextTat - period
          end
          return 1, math.floor((period - nextTat) / emission), nextTat, 0
        end

        local tats = redis.call('HMGET', @Key, 's', 'b')
        local sAllowed, sRemaining, sReset, sRetry = evaluate(ahead(tats[1]), tonumber(@SustainedEmission), tonumber(@SustainedPeriod))
        local bAllowed, bRemaining, bReset, bRetry = sAllowed, sRemaining, sReset, sRetry
        local burst = tonumber(@BurstEmission) > 0
        if burst then
          bAllowed, bRemaining, bReset, bRetry = evaluate(ahead(tats[2]), tonumber(@BurstEmission), tonumber(@BurstPeriod))
        end

        if sAllowed == 1 and bAllowed == 1 then
          if burst then
            redis.call('HSET', @Key, 's', at(sReset), 'b', at(bReset))
          else
            redis.call('HSET', @Key, 's', at(sReset))
          end
          -- Gone once both buckets are full again (the same as never seen), a second later for clock skew.
          redis.call('PEXPIRE', @Key, math.ceil(math.max(sReset, bReset) / 10000) + 1000)
          return {1, sRemaining, sReset, bRemaining, bReset, 0}
        end

        -- Refused: nothing spent; retry when the bucket(s) that refused let one through. Last: whether the sustained bucket allowed.
        local retry = 0
        if sAllowed == 0 then retry = sRetry end
        if bAllowed == 0 then retry = math.max(retry, bRetry) end
        return {0, 0, sReset, 0, bReset, retry, sAllowed}
        """);

    private readonly InMemoryRateLimitStore _fallback = new();

    public async ValueTask<RateLimitDecision> AcquireAsync(RateLimitKey key, RateLimitPolicy policy, long now, CancellationToken cancellationToken)
    {
        // Not cancelled with the request: the call is short (the Redis timeout) and a late answer is harmless.
        var result = await redis.TryAsync(Arguments.For(key, policy, now), static (database, arguments) => database.ScriptEvaluateAsync(s_script, arguments));
        return result is null
            ? await _fallback.AcquireAsync(key, policy, now, cancellationToken)
            : Read(result, policy, now);
    }

    /// <summary>The script alone, no fallback: for tests that compare it with <see cref="Gcra"/>.</summary>
    internal static async Task<RateLimitDecision> EvaluateAsync(IDatabaseAsync database, RateLimitKey key, RateLimitPolicy policy, long now) =>
        Read(await database.ScriptEvaluateAsync(s_script, Arguments.For(key, policy, now)), policy, now);

    /// <summary>The Redis key of a budget holder (before <c>Redis:KeyPrefix</c>).</summary>
    internal static RedisKey KeyOf(RateLimitKey key) =>
        key.ClientIp is { } ip ? $"ratelimit:{key.ClientBucket}:{ip}" : $"ratelimit:token:{key.TokenId:N}";

    private static RateLimitDecision Read(RedisResult result, RateLimitPolicy policy, long now)
    {
        var values = (long[])result!;
        var allowed = values[0] == 1;
        return new RateLimitDecision(allowed, policy, (int)values[1], now + values[2], (int)values[3], now + values[4], values[5])
        {
            RefusedBy = allowed ? null : values[6] == 1 ? RateLimitBucket.Burst : RateLimitBucket.Sustained,
        };
    }

    /// <summary>The script's parameters (its <c>@Name</c>s). A policy without a burst bucket sends emission 0.</summary>
    private sealed record Arguments(RedisKey Key, long Now, long SustainedEmission, long SustainedPeriod, long BurstEmission, long BurstPeriod)
    {
        public static Arguments For(RateLimitKey key, RateLimitPolicy policy, long now) => new(
            KeyOf(key),
            now,
            policy.Sustained.EmissionTicks,
            policy.Sustained.EmissionTicks * policy.Sustained.Limit,
            policy.Burst?.EmissionTicks ?? 0,
            policy.Burst is { } burst ? burst.EmissionTicks * burst.Limit : 0);
    }
}
