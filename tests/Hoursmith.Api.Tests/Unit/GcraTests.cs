using Hoursmith.Api.Infrastructure.RateLimiting;

namespace Hoursmith.Api.Tests.Unit;

/// <summary>The bucket arithmetic on a hand-moved clock (ticks): burst, refill, Retry-After, reset.</summary>
public class GcraTests
{
    private static readonly long s_start = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly RateLimitPolicy s_studio = new(new BucketSpec(30, TimeSpan.FromSeconds(10)), new BucketSpec(600, TimeSpan.FromSeconds(60)));

    private sealed class Token
    {
        private long _burst;
        private long _sustained;

        public RateLimitDecision At(long now, RateLimitPolicy? policy = null) => InMemoryRateLimitStore.Decide(ref _burst, ref _sustained, policy ?? s_studio, now);
    }

    [Fact]
    public void A_full_bucket_lets_the_burst_through_and_refuses_the_next()
    {
        var token = new Token();

        for (var i = 0; i < 30; i++)
        {
            var decision = token.At(s_start);
            Assert.True(decision.Allowed, $"request {i + 1}");
            Assert.Equal(29 - i, decision.BurstRemaining);
            Assert.Equal(599 - i, decision.SustainedRemaining);
        }

        var refused = token.At(s_start);
        Assert.False(refused.Allowed);
        Assert.Equal(0, refused.BurstRemaining);
        // One emission (10 s / 30) until the next request fits.
        Assert.Equal(TimeSpan.FromSeconds(10).Ticks / 30, refused.RetryAfterTicks);
    }

    [Fact]
    public void The_burst_bucket_refills_one_request_per_period_over_limit()
    {
        var token = new Token();
        for (var i = 0; i < 30; i++)
        {
            token.At(s_start);
        }

        var emission = TimeSpan.FromSeconds(10).Ticks / 30;
        Assert.False(token.At(s_start + emission - 1).Allowed);
        Assert.True(token.At(s_start + emission).Allowed);
        Assert.False(token.At(s_start + emission).Allowed);
        // After a whole period at rest the bucket is full again.
        var later = s_start + TimeSpan.FromSeconds(30).Ticks;
        for (var i = 0; i < 30; i++)
        {
            Assert.True(token.At(later).Allowed);
        }

        Assert.False(token.At(later).Allowed);
    }

    [Fact]
    public void Waiting_retry_after_whole_seconds_is_always_enough()
    {
        var token = new Token();
        for (var i = 0; i < 30; i++)
        {
            token.At(s_start);
        }

        var refused = token.At(s_start);
        var seconds = RateLimiting.Seconds(refused.RetryAfterTicks);

        Assert.Equal(1, seconds);
        Assert.True(token.At(s_start + TimeSpan.FromSeconds(seconds).Ticks).Allowed);
    }

    [Fact]
    public void The_sustained_bucket_refuses_a_steady_stream_that_fits_every_burst()
    {
        var token = new Token();
        var allowed = 0;
        // 20 requests a second for a minute: the burst bucket (3/s refill) would take ~210, the
        // sustained bucket holds 600 per minute; the burst one binds first here.
        for (var i = 0; i < 1200; i++)
        {
            if (token.At(s_start + (i * TimeSpan.TicksPerSecond / 20)).Allowed)
            {
                allowed++;
            }
        }

        Assert.InRange(allowed, 30 + 178, 30 + 180);

        // With a wide burst bucket, the sustained one is what refuses: exactly 600 in a minute, then one per 0.1 s.
        var wide = new RateLimitPolicy(new BucketSpec(1000, TimeSpan.FromSeconds(10)), new BucketSpec(600, TimeSpan.FromSeconds(60)));
        var other = new Token();
        var admitted = Enumerable.Range(0, 700).Count(_ => other.At(s_start, wide).Allowed);
        Assert.Equal(600, admitted);
        var blocked = other.At(s_start, wide);
        Assert.False(blocked.Allowed);
        Assert.Equal(0, blocked.SustainedRemaining);
        Assert.Equal(TimeSpan.FromSeconds(60).Ticks / 600, blocked.RetryAfterTicks);
    }

    [Fact]
    public void A_refused_request_spends_nothing()
    {
        var token = new Token();
        for (var i = 0; i < 30; i++)
        {
            token.At(s_start);
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.False(token.At(s_start).Allowed);
        }

        // Refusals did not push the refill back: one emission later, exactly one more fits.
        Assert.True(token.At(s_start + (TimeSpan.FromSeconds(10).Ticks / 30)).Allowed);
    }

    [Fact]
    public void Reset_is_when_the_sustained_bucket_is_full_again()
    {
        var token = new Token();
        var first = token.At(s_start);

        Assert.Equal(s_start + (TimeSpan.FromSeconds(60).Ticks / 600), first.SustainedResetAt);
        Assert.Equal(RateLimiting.UnixSeconds(first.SustainedResetAt), (long)Math.Ceiling((first.SustainedResetAt - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond));
    }

    [Fact]
    public void A_single_bucket_policy_uses_only_its_budget()
    {
        var ip = new RateLimitPolicy(null, new BucketSpec(10, TimeSpan.FromSeconds(60)));
        var client = new Token();

        Assert.Equal(10, Enumerable.Range(0, 15).Count(_ => client.At(s_start, ip).Allowed));
        Assert.True(client.At(s_start + TimeSpan.FromSeconds(6).Ticks, ip).Allowed);
    }
}
