using System.Globalization;
using System.Net.Mail;
using Hoursmith.Api.Infrastructure.Errors;

namespace Hoursmith.Api.Infrastructure.Validation;

/// <summary>
/// Collects every bad field of a request into the <c>fields</c> map of one 422, and turns the
/// accepted text into typed values. Empty or blank strings count as absent (null).
/// Reasons: required, too_long, invalid, not_a_uuid, not_a_decimal, too_many_decimals,
/// must_be_positive, must_not_be_negative, too_large, unknown_value, invalid_date, …;
/// <c>invalid</c> also for a date or timestamp outside <see cref="StoredRange"/> and for text with control characters.
/// </summary>
public sealed class FieldValidator
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string> Errors => _errors;

    /// <summary>Records a failure for <paramref name="field"/> unless one is already recorded.</summary>
    public void Fail(string field, string reason) => _errors.TryAdd(field, reason);

    public ApiErrorResult ToResult() => ApiErrors.Validation(_errors);

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public string? Text(string field, string? value, int maxLength, bool required = false)
    {
        var text = Clean(value);
        if (text is null)
        {
            if (required)
            {
                Fail(field, "required");
            }

            return null;
        }

        if (text.Length > maxLength)
        {
            Fail(field, "too_long");
        }
        else if (HasControlCharacters(text))
        {
            Fail(field, "invalid");
        }

        return text;
    }

    /// <summary>
    /// Whether <paramref name="text"/> holds a control character other than tab, line feed or
    /// carriage return (U+0000–U+001F). Those three are text (notes and addresses span lines); the
    /// others are not, and PostgreSQL cannot store a NUL at all.
    /// </summary>
    public static bool HasControlCharacters(string text)
    {
        foreach (var c in text)
        {
            if (c < ' ' && c is not ('\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }

    public string? Email(string field, string? value)
    {
        var text = Text(field, value, 320);
        if (text is not null && !(MailAddress.TryCreate(text, out var address) && address.Address == text))
        {
            Fail(field, "invalid");
        }

        return text;
    }

    public string? Currency(string field, string? value)
    {
        var text = Clean(value)?.ToUpperInvariant();
        if (text is not null && !(text.Length == 3 && text.All(char.IsAsciiLetterUpper)))
        {
            Fail(field, "invalid");
        }

        return text;
    }

    /// <summary>A decimal given as a number or a string.</summary>
    public decimal? DecimalNumber(string field, string? value, int? maxDecimals = null, bool positive = false, bool nonNegative = true, bool required = false)
    {
        var text = Clean(value);
        if (text is null)
        {
            if (required)
            {
                Fail(field, "required");
            }

            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            Fail(field, "not_a_decimal");
            return null;
        }

        // Money is kept (or summed into invoice totals kept) as whole cents in 64 bits: a larger
        // number could not be stored, so it is refused here rather than overflow later.
        if (!StoredRange.Contains(number))
        {
            Fail(field, "too_large");
            return null;
        }

        if (maxDecimals is { } max && number.Scale > max && decimal.Round(number, max) != number)
        {
            Fail(field, "too_many_decimals");
        }
        else if (positive && number <= 0)
        {
            Fail(field, "must_be_positive");
        }
        else if (nonNegative && number < 0)
        {
            Fail(field, "must_not_be_negative");
        }

        return number;
    }

    public int? WholeNumber(string field, int? value, int min, int max)
    {
        if (value is { } number && (number < min || number > max))
        {
            Fail(field, number < min ? "too_small" : "too_large");
        }

        return value;
    }

    public T? Enum<T>(string field, string? value, bool required = false) where T : struct, System.Enum
    {
        var text = Clean(value);
        if (text is null)
        {
            if (required)
            {
                Fail(field, "required");
            }

            return null;
        }

        if (WireEnum<T>.TryParse(text, out var parsed))
        {
            return parsed;
        }

        Fail(field, "unknown_value");
        return null;
    }

    public DateOnly? Date(string field, string? value, bool required = false)
    {
        var text = Clean(value);
        if (text is null)
        {
            if (required)
            {
                Fail(field, "required");
            }

            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Fail(field, "invalid_date");
            return null;
        }

        // resources.md bounds every date, so no arithmetic on a stored one can overflow.
        if (!StoredRange.Contains(date))
        {
            Fail(field, "invalid");
            return null;
        }

        return date;
    }

    public DateTime? Timestamp(string field, string? value)
    {
        var text = Clean(value);
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            Fail(field, "invalid_timestamp");
            return null;
        }

        // As for dates: a timestamp plus a duration, or a day, stays a valid DateTime.
        if (!StoredRange.Contains(timestamp.UtcDateTime))
        {
            Fail(field, "invalid");
            return null;
        }

        return timestamp.UtcDateTime;
    }

    public Guid? Uuid(string field, string? value, bool required = false)
    {
        var text = Clean(value);
        if (text is null)
        {
            if (required)
            {
                Fail(field, "required");
            }

            return null;
        }

        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        Fail(field, "not_a_uuid");
        return null;
    }

    /// <summary>Dates in order: <paramref name="laterField"/> may not precede <paramref name="earlierField"/>.</summary>
    public void DateOrder(string earlierField, DateOnly? earlier, string laterField, DateOnly? later)
    {
        if (earlier is { } start && later is { } end && end < start)
        {
            Fail(laterField, $"before_{earlierField}");
        }
    }
}
