using Hoursmith.Api.Features.TimeEntries;

namespace Hoursmith.Api.Tests.Unit;

public class DurationTests
{
    [Theory]
    // The docs' forms.
    [InlineData("1h30m", 5400)]
    [InlineData("1h 30m", 5400)]
    [InlineData("90m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("1:30", 5400)]
    [InlineData("1:30:15", 5415)]
    [InlineData("2h", 7200)]
    // A bare number is decimal hours, as in Harvest.
    [InlineData("2", 7200)]
    [InlineData("1.5", 5400)]
    [InlineData("8", 28800)]
    [InlineData("0.25", 900)]
    // Units: any case, long names, blanks between number and unit and between parts.
    [InlineData("1H30M", 5400)]
    [InlineData("  1h30m  ", 5400)]
    [InlineData("1 hour 30 minutes", 5400)]
    [InlineData("2 hours", 7200)]
    [InlineData("2 hrs", 7200)]
    [InlineData("1hr 15min", 4500)]
    [InlineData("90 mins", 5400)]
    [InlineData("1 minute", 60)]
    [InlineData("1h30m15s", 5415)]
    [InlineData("10m 30s", 630)]
    [InlineData("30s", 30)]
    [InlineData("45 seconds", 45)]
    [InlineData("0.25h", 900)]
    [InlineData("0.5m", 30)]
    // Clock forms.
    [InlineData("0:45", 2700)]
    [InlineData("0:00:01", 1)]
    [InlineData("10:05", 36300)]
    // Fractions round to the nearest second.
    [InlineData("0.01h", 36)]
    [InlineData("1.2345h", 4444)]
    // The 24-hour ceiling is inclusive.
    [InlineData("24h", 86400)]
    [InlineData("24:00", 86400)]
    [InlineData("1440m", 86400)]
    [InlineData("86400s", 86400)]
    [InlineData("24", 86400)]
    public void Accepted_duration_strings_become_whole_seconds(string text, long expected)
    {
        Assert.Equal((expected, null), Duration.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("h")]
    [InlineData("1,5h")]        // decimal comma: refused, as money's "12,5" is
    [InlineData("1,5")]
    [InlineData("0")]
    [InlineData("0h")]
    [InlineData("0m 0s")]
    [InlineData("0:00")]
    [InlineData("0.0001h")]     // 0.36 s rounds to zero
    [InlineData("-1h")]
    [InlineData("-30m")]
    [InlineData("-1")]
    [InlineData("1h-30m")]
    [InlineData("1:60")]
    [InlineData("1:5")]
    [InlineData("1:30:60")]
    [InlineData(":30")]
    [InlineData("1:30:15:00")]
    [InlineData("30m1h")]       // units in order h, m, s
    [InlineData("1h1h")]
    [InlineData("1h30")]        // minutes need their unit
    [InlineData("1.5.5h")]
    [InlineData(".5h")]
    [InlineData("1.h")]
    [InlineData("1d")]
    [InlineData("1e3")]
    [InlineData("1h30mm")]
    [InlineData("PT1H30M")]
    [InlineData("1.5s")]        // seconds are whole
    [InlineData("one hour")]
    [InlineData("１h")]         // full-width digit
    [InlineData("1h30m and then some more text to go beyond the length limit of sixty-four chars")]
    public void Garbage_zero_and_negative_durations_are_invalid(string text)
    {
        Assert.Equal((null, Duration.Invalid), Duration.Parse(text));
    }

    [Theory]
    [InlineData("25h")]
    [InlineData("24.01h")]
    [InlineData("24:00:01")]
    [InlineData("25:00")]
    [InlineData("1441m")]
    [InlineData("86401s")]
    [InlineData("24h 1s")]
    [InlineData("48")]
    [InlineData("999999999h")]
    [InlineData("999999999:00")]
    [InlineData("999999999m 999999999s")]
    public void Durations_over_a_day_are_too_large(string text)
    {
        Assert.Equal((null, Duration.TooLarge), Duration.Parse(text));
    }

    [Theory]
    [InlineData("5400", 5400L, null)]
    [InlineData("1", 1L, null)]
    [InlineData("86400", 86400L, null)]
    [InlineData("5400.0", 5400L, null)]
    [InlineData("1e3", 1000L, null)]
    [InlineData("86401", null, "too_large")]
    [InlineData("100000000000000000000", null, "too_large")]
    [InlineData("0", null, "must_be_positive")]
    [InlineData("-60", null, "must_be_positive")]
    [InlineData("1.5", null, "not_an_integer")]
    [InlineData("90m", null, "not_an_integer")]
    [InlineData("abc", null, "not_an_integer")]
    public void Duration_seconds_are_positive_whole_numbers_up_to_a_day(string text, long? seconds, string? error)
    {
        Assert.Equal((seconds, error), Duration.CheckSeconds(text));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(999, 0)]
    [InlineData(1000, 1)]
    [InlineData(5_400_999, 5400)]
    [InlineData(-5000, 0)]
    public void Measured_time_is_whole_seconds_rounded_down_and_never_negative(int milliseconds, long expected)
    {
        var start = new DateTime(2026, 6, 11, 9, 0, 0, DateTimeKind.Utc);

        Assert.Equal(expected, Duration.Between(start, start.AddMilliseconds(milliseconds)));
    }
}
