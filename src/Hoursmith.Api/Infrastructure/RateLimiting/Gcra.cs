namespace Hoursmith.Api.Infrastructure.RateLimiting;

/// <summary>A budget: <see cref="Limit"/> requests per <see cref="Period"/>.</summary>
public sealed record BucketSpec(int Limit, TimeSpan Period)
{
    /// <summary>The steady refill: one request every Period / Limit.</summary>
    public long EmissionTicks => Period.Ticks / Limit;
}

/// <summary>What one bucket says about one request at one instant.</summary>
public readonly record struct BucketOutcome(bool Allowed, long NewTat, int Remaining, long ResetAt, long RetryAfterTicks);

/// <summary>
/// The generic cell rate algorithm: a token bucket kept as one number per bucket, the "theoretical
/// arrival time" (TAT). A full bucket lets <c>Limit</c> requests through at once, then one more
/// every <c>Period / Limit</c>. One number per bucket is what makes the check atomic cheaply: in
/// process under a lock, in Redis in one script.
/// </summary>
public static class Gcra
{
    /// <param name="tat">The bucket's stored TAT in UTC ticks (0 or anything in the past: full).</param>
    /// <param name="now">The current time in UTC ticks.</param>
    public static BucketOutcome Evaluate(long tat, long now, BucketSpec spec)
    {
        var emission = spec.EmissionTicks;
        // Limit whole emissions (a hair under Period when it does not divide evenly), so refill steps are exact.
        var period = emission * spec.Limit;
        var start = Math.Max(tat, now);
        var newTat = start + emission;
        if (newTat - now > period)
        {
            // Over budget: the next request fits once the TAT has drained by one emission.
            var retryAfter = newTat - now - period;
            return new BucketOutcome(false, tat, Remaining(start, now, emission, period), Math.Max(start, now), retryAfter);
        }

        return new BucketOutcome(true, newTat, Remaining(newTat, now, emission, period), newTat, 0);
    }

    /// <summary>How many more requests fit right now, given the TAT after this request.</summary>
    private static int Remaining(long tat, long now, long emission, long period) =>
        (int)Math.Max(0, (period - (tat - now)) / emission);
}
