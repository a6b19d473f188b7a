using System.Globalization;
using System.Net;
using Hoursmith.Api.Infrastructure.RateLimiting;
using Hoursmith.Api.Infrastructure.Redis;
using Hoursmith.Api.Tests.Support;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The rate-limit script on a real Redis against <see cref="Gcra"/> / <see cref="InMemoryRateLimitStore.Decide"/>:
/// the same decisions, field by field, for the same sequence of requests on a hand-moved clock.
/// </summary>
public sealed class RedisScriptTests : IAsyncLifetime
{
    // Just below a multiple of 1e9 ticks: the first refills carry into the high part the script splits ticks into.
    private static readonly long s_start = (new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc).Ticks / 1_000_000_000 * 1_000_000_000) + 1_000_000_000 - 5_000;

    private static readonly RateLimitPolicy s_studio = new(new BucketSpec(30, TimeSpan.FromSeconds(10)), new BucketSpec(600, TimeSpan.FromSeconds(60)));
    private static readonly RateLimitPolicy s_agency = new(new BucketSpec(60, TimeSpan.FromSeconds(10)), new BucketSpec(1200, TimeSpan.FromSeconds(60)));
    private static readonly RateLimitPolicy s_perIp = new(null, new BucketSpec(10, TimeSpan.FromSeconds(60)));
    // A burst bucket wider than the sustained one, so the sustained bucket is what refuses.
    private static readonly RateLimitPolicy s_wideBurst = new(new BucketSpec(100, TimeSpan.FromSeconds(10)), new BucketSpec(60, TimeSpan.FromSeconds(60)));

    private ConnectionMultiplexer _redis = null!;
    private IDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _redis = RedisSetup.Connect(new RedisOptions { Configuration = TestRedis.Shared, TimeoutMilliseconds = 5_000 });
        _database = _redis.GetDatabase().WithKeyPrefix(TestRedis.UniquePrefix());
        // A test that cannot reach Redis must fail, not pass on something else.
        await _database.PingAsync();
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private sealed class Holder(RateLimitKey key, RateLimitPolicy policy)
    {
        public long BurstTat;
        public long SustainedTat;

        public RateLimitKey Key { get; } = key;

        public RateLimitPolicy Policy { get; } = policy;
    }

    [Fact]
    public async Task The_script_decides_like_the_in_process_algorithm_on_the_same_sequence()
    {
        var holders = new[]
        {
            new Holder(RateLimitKey.ForToken(Guid.NewGuid()), s_studio),
            new Holder(RateLimitKey.ForToken(Guid.NewGuid()), s_agency),
            new Holder(RateLimitKey.ForClient(IPAddress.Parse("203.0.113.7")), s_perIp),
            new Holder(RateLimitKey.ForToken(Guid.NewGuid()), s_wideBurst),
        };
        var random = new Random(20261123);
        var now = s_start;
        int allowed = 0, refusedByBurst = 0, refusedBySustained = 0;

        for (var step = 0; step < 4000;)
        {
            // Runs of requests on one holder (bursts), then a pause before the next run.
            var holder = holders[random.Next(holders.Length)];
            var emission = (holder.Policy.Burst ?? holder.Policy.Sustained).EmissionTicks;
            now += random.Next(10) switch
            {
                < 4 => 0,
                < 7 => random.NextInt64(TimeSpan.TicksPerSecond),
                < 9 => random.NextInt64(TimeSpan.FromSeconds(15).Ticks),
                _ => random.NextInt64(TimeSpan.FromSeconds(90).Ticks),
            };

            for (var run = random.Next(1, 80); run > 0; run--, step++)
            {
                // Within a run: at one instant, or refills at and around an emission's boundary.
                now += random.Next(8) switch
                {
                    < 4 => 0,
                    4 => emission - 1,
                    5 => emission,
                    6 => emission + 1,
                    _ => 1,
                };

                var expected = InMemoryRateLimitStore.Decide(ref holder.BurstTat, ref holder.SustainedTat, holder.Policy, now);
                var actual = await RedisRateLimitStore.EvaluateAsync(_database, holder.Key, holder.Policy, now);

                Assert.True(expected == actual, $"step {step}, {now - s_start} ticks in: expected {expected}, got {actual}");
                if (expected.Allowed)
                {
                    allowed++;
                }
                else if (Gcra.Evaluate(holder.SustainedTat, now, holder.Policy.Sustained).Allowed)
                {
                    Assert.Equal(RateLimitBucket.Burst, actual.RefusedBy);
                    refusedByBurst++;
                }
                else
                {
                    Assert.Equal(RateLimitBucket.Sustained, actual.RefusedBy);
                    refusedBySustained++;
                }
            }
        }

        // The sequence exercised every branch.
        Assert.True(allowed >= 200 && refusedByBurst >= 200 && refusedBySustained >= 200, $"allowed {allowed}, refused by burst {refusedByBurst}, by sustained {refusedBySustained}");

        // And Redis holds exactly the in-process TATs (in ticks, as decimal strings).
        foreach (var holder in holders)
        {
            var stored = await _database.HashGetAsync(RedisRateLimitStore.KeyOf(holder.Key), ["s", "b"]);
            Assert.Equal(holder.SustainedTat.ToString(CultureInfo.InvariantCulture), (string?)stored[0]);
            Assert.Equal(holder.Policy.Burst is null ? null : holder.BurstTat.ToString(CultureInfo.InvariantCulture), (string?)stored[1]);
        }
    }

    [Fact]
    public async Task Buckets_expire_once_they_would_be_full_again()
    {
        var key = RateLimitKey.ForToken(Guid.NewGuid());
        for (var i = 0; i < 30; i++)
        {
            Assert.True((await RedisRateLimitStore.EvaluateAsync(_database, key, s_studio, s_start)).Allowed);
        }

        // The burst bucket is full again 10 s later; the key lives that long, plus a second for clock skew.
        var ttl = await _database.KeyTimeToLiveAsync(RedisRateLimitStore.KeyOf(key));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(11));
    }

    [Fact]
    public async Task A_refused_request_writes_nothing()
    {
        var key = RateLimitKey.ForClient(IPAddress.Parse("198.51.100.9"));
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await RedisRateLimitStore.EvaluateAsync(_database, key, s_perIp, s_start)).Allowed);
        }

        var before = await _database.HashGetAllAsync(RedisRateLimitStore.KeyOf(key));
        var refused = await RedisRateLimitStore.EvaluateAsync(_database, key, s_perIp, s_start);

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(6).Ticks, refused.RetryAfterTicks);
        Assert.Equal(before, await _database.HashGetAllAsync(RedisRateLimitStore.KeyOf(key)));
        Assert.Single(before); // one bucket: no burst field for a per-IP budget
    }
}
