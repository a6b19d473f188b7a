using System.Globalization;
using System.Text.RegularExpressions;

namespace Hoursmith.Api.Features.TimeEntries;

/// <summary>
/// Time-entry durations: the canonical <c>durationSeconds</c> and the human <c>duration</c> string.
/// Pure functions, so every accepted and refused form is pinned down by a table-driven unit test.
/// </summary>
/// <remarks>
/// Accepted strings (any letter case, surrounding blanks ignored):
/// <list type="bullet">
/// <item>units in order h, m, s, each optional, blanks allowed between parts: <c>1h30m</c>, <c>1h 30m</c>,
/// <c>90m</c>, <c>1.5h</c>, <c>2h</c>, <c>1h30m15s</c>, <c>1 hour 30 minutes</c>
/// (h|hr|hrs|hour|hours, m|min|mins|minute|minutes, s|sec|secs|second|seconds);</item>
/// <item>clock form <c>h:mm</c> or <c>h:mm:ss</c>: <c>1:30</c>, <c>1:30:15</c>;</item>
/// <item>a bare number is decimal hours, as in Harvest: <c>2</c> = 2h, <c>1.5</c> = 1h30m.</item>
/// </list>
/// The decimal separator is a point only (<c>1,5h</c> is invalid, as money's <c>12,5</c> is).
/// Fractions are rounded to the nearest whole second. Zero, negatives and anything else are
/// <c>invalid</c>; more than 24 hours is <c>too_large</c>.
/// </remarks>
public static partial class Duration
{
    /// <summary>One entry covers at most a day (our decision).</summary>
    public const long MaxSeconds = 24 * 3600;

    /// <summary>Longer input than any sane duration is refused before any parsing.</summary>
    private const int MaxTextLength = 64;

    public const string Invalid = "invalid";
    public const string TooLarge = "too_large";
    public const string NotAnInteger = "not_an_integer";
    public const string MustBePositive = "must_be_positive";

    /// <summary>Parses a human duration string into whole seconds, or names why it is refused.</summary>
    public static (long? Seconds, string? Error) Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length is 0 or > MaxTextLength)
        {
            return (null, Invalid);
        }

        if (Clock().Match(trimmed) is { Success: true } clock)
        {
            var hours = decimal.Parse(clock.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minutes = int.Parse(clock.Groups["m"].Value, CultureInfo.InvariantCulture);
            var seconds = clock.Groups["s"].Success ? int.Parse(clock.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            return Checked(hours, minutes, seconds);
        }

        if (BareNumber().IsMatch(trimmed))
        {
            return Checked(decimal.Parse(trimmed, CultureInfo.InvariantCulture), 0, 0);
        }

        if (Units().Match(trimmed) is { Success: true } units && (units.Groups["h"].Success || units.Groups["m"].Success || units.Groups["s"].Success))
        {
            return Checked(Number(units.Groups["h"]), Number(units.Groups["m"]), Number(units.Groups["s"]));
        }

        return (null, Invalid);
    }

    /// <summary>
    /// Checks <c>durationSeconds</c> as sent (a JSON number or numeric string, kept as text): a
    /// positive whole number of at most <see cref="MaxSeconds"/>.
    /// </summary>
    public static (long? Seconds, string? Error) CheckSeconds(string text)
    {
        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            return (null, NotAnInteger);
        }

        if (number != decimal.Truncate(number))
        {
            return (null, NotAnInteger);
        }

        if (number <= 0)
        {
            return (null, MustBePositive);
        }

        return number > MaxSeconds ? (null, TooLarge) : ((long)number, null);
    }

    /// <summary>Whole seconds from <paramref name="start"/> to <paramref name="stop"/>, rounded down (a timer's measured time).</summary>
    public static long Between(DateTime start, DateTime stop) => Math.Max(0, (long)Math.Floor((stop - start).TotalSeconds));

    private static decimal Number(Group group) =>
        group.Success ? decimal.Parse(group.Value, CultureInfo.InvariantCulture) : 0m;

    private static (long? Seconds, string? Error) Checked(decimal hours, decimal minutes, decimal seconds)
    {
        // Bound each part before multiplying, so no input can overflow.
        if (hours > MaxSeconds / 3600 + 1 || minutes > MaxSeconds / 60 + 1 || seconds > MaxSeconds + 1)
        {
            return (null, TooLarge);
        }

        var total = decimal.Round((hours * 3600) + (minutes * 60) + seconds, 0, MidpointRounding.AwayFromZero);
        if (total <= 0)
        {
            return (null, Invalid);
        }

        return total > MaxSeconds ? (null, TooLarge) : ((long)total, null);
    }

    [GeneratedRegex(@"^(?<h>[0-9]{1,9}):(?<m>[0-5][0-9])(?::(?<s>[0-5][0-9]))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();

    [GeneratedRegex(@"^[0-9]{1,9}(?:\.[0-9]{1,9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex BareNumber();

    [GeneratedRegex(
        @"^(?:(?<h>[0-9]{1,9}(?:\.[0-9]{1,9})?)\s*(?:hours|hour|hrs|hr|h)\s*)?(?:(?<m>[0-9]{1,9}(?:\.[0-9]{1,9})?)\s*(?:minutes|minute|mins|min|m)\s*)?(?:(?<s>[0-9]{1,9})\s*(?:seconds|second|secs|sec|s))?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Units();
}
