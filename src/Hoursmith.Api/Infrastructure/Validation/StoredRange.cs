namespace Hoursmith.Api.Infrastructure.Validation;

/// <summary>
/// The values the API stores (resources.md): dates and timestamps from 2000-01-01 through
/// 2100-12-31, and money that fits whole cents in a 64-bit integer. Every parsed value is checked
/// against these before any arithmetic, so no input can overflow a <see cref="DateTime"/>, a
/// <see cref="DateOnly"/> or a cents column: a body outside them is a 422, a list filter is
/// clamped (dates) or refused (amounts) by the list code.
/// </summary>
public static class StoredRange
{
    public static readonly DateOnly MinDate = new(2000, 1, 1);
    public static readonly DateOnly MaxDate = new(2100, 12, 31);

    public static readonly DateTime MinTimestamp = MinDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The first instant after the range (exclusive): the end of 2100-12-31, UTC.</summary>
    public static readonly DateTime EndTimestamp = MaxDate.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The largest amount a cents column holds: <c>long.MaxValue</c> cents.</summary>
    public const decimal MaxAmount = long.MaxValue / 100m;

    public static bool Contains(DateOnly date) => date >= MinDate && date <= MaxDate;

    public static bool Contains(DateTime timestamp) => timestamp >= MinTimestamp && timestamp < EndTimestamp;

    public static bool Contains(decimal amount) => Math.Abs(amount) <= MaxAmount;

    /// <summary>
    /// A filter bound moved into reach of arithmetic without changing what it selects: one day
    /// outside the range lies before or after every stored date, as any earlier or later date does.
    /// </summary>
    public static DateOnly ClampBound(DateOnly date) =>
        date < MinDate ? MinDate.AddDays(-1) : date > MaxDate ? MaxDate.AddDays(1) : date;

    /// <inheritdoc cref="ClampBound(DateOnly)"/>
    public static DateTime ClampBound(DateTime timestamp) =>
        timestamp < MinTimestamp ? MinTimestamp.AddDays(-1) : timestamp >= EndTimestamp ? EndTimestamp.AddDays(1) : timestamp;
}
