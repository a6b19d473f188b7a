using Hoursmith.Api.Features.Webhooks;

namespace Hoursmith.Api.Tests.Unit;

public sealed class WebhookRetryScheduleTests
{
    private static readonly DateTime s_at = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Seven_retries_follow_the_documented_delays_and_then_none()
    {
        int[] seconds = [5, 60, 300, 1800, 7200, 21600, 86400];
        for (var attempt = 1; attempt <= 7; attempt++)
        {
            Assert.Equal(s_at.AddSeconds(seconds[attempt - 1]), WebhookRetrySchedule.NextAttemptAt(attempt, s_at, jitter: 0));
        }

        Assert.Null(WebhookRetrySchedule.NextAttemptAt(8, s_at, jitter: 0));
        Assert.Equal(8, WebhookRetrySchedule.MaxAttempts);
        Assert.Equal(117_365, seconds.Sum()); // "about 32 hours"
    }

    [Theory]
    [InlineData(-1.0, 54)]
    [InlineData(1.0, 66)]
    [InlineData(5.0, 66)]
    public void Jitter_moves_a_retry_by_at_most_ten_percent(double jitter, int expectedSeconds) =>
        Assert.Equal(s_at.AddSeconds(expectedSeconds), WebhookRetrySchedule.NextAttemptAt(2, s_at, jitter));
}
