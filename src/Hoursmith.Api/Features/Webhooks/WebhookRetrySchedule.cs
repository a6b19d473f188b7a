namespace Hoursmith.Api.Features.Webhooks;

/// <summary>
/// When a failed delivery is tried again (webhooks.md): 5 s, 60 s, 300 s, 1,800 s, 7,200 s, 21,600 s and
/// 86,400 s after the attempt that failed, each with up to ±10 % jitter, so a receiver that comes back
/// is not hit by every queued delivery in the same second. Seven retries over about 32 hours (the
/// delays add up to 117,365 s); after the eighth attempt fails, the delivery has failed for good.
/// </summary>
public static class WebhookRetrySchedule
{
    public static IReadOnlyList<TimeSpan> Delays { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(1800),
        TimeSpan.FromSeconds(7200), TimeSpan.FromSeconds(21600), TimeSpan.FromSeconds(86400),
    ];

    /// <summary>The first attempt and the retries.</summary>
    public static int MaxAttempts => Delays.Count + 1;

    public const double JitterFraction = 0.10;

    /// <summary>
    /// When to try again after attempt number <paramref name="attempts"/> (1 for the first) failed at
    /// <paramref name="failedAt"/>; null when it was the last. <paramref name="jitter"/> is in [-1, 1].
    /// </summary>
    public static DateTime? NextAttemptAt(int attempts, DateTime failedAt, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        if (attempts > Delays.Count)
        {
            return null;
        }

        var delay = Delays[attempts - 1];
        return failedAt + delay * (1 + (JitterFraction * Math.Clamp(jitter, -1, 1)));
    }
}
