using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Hoursmith.Api.Infrastructure.Json;

/// <summary>
/// Every decimal leaves the API as a string ("1250.00", "87.1234"): at least two decimals,
/// never a float, nothing rounded away.
/// </summary>
public sealed class DecimalStringConverter : JsonConverter<decimal>
{
    public static string Format(decimal value)
    {
        var text = value.ToString("0.00############################", CultureInfo.InvariantCulture);
        return text;
    }

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? decimal.Parse(reader.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture)
            : reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));
}

/// <summary>
/// For input fields that take "a number or a decimal string": keeps the text as sent, so validation
/// can say "not a decimal" (422) instead of failing the whole body; other JSON types stay a 400.
/// </summary>
public sealed class NumberOrStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException("Expected a number or a decimal string."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Marks a money field: stripped, server-side, from every response a Member token gets.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MoneyAttribute : Attribute;

/// <summary>
/// Marks a response field that looks like money (a decimal, or a name with rate, amount, total,
/// price, fee, paid or budget in it) but is not, with the reason: Members see it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotMoneyAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Money-blindness (resources.md): while a Member's request runs, properties marked
/// <see cref="MoneyAttribute"/> are left out of every serialized payload. Marking is what makes a
/// field blind, so a test (MoneyMarkingTests) makes it fail closed: every decimal or money-named
/// property of every response type must be marked <see cref="MoneyAttribute"/> or
/// <see cref="NotMoneyAttribute"/>, and an unmarked new field fails the build's tests.
/// </summary>
public static class MoneyBlindness
{
    private static readonly AsyncLocal<bool> s_active = new();

    public static bool IsActive => s_active.Value;

    /// <summary>Turns blindness on for the rest of this request's flow.</summary>
    public static void Activate() => s_active.Value = true;

    public static void Modify(JsonTypeInfo typeInfo)
    {
        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider?.IsDefined(typeof(MoneyAttribute), inherit: true) == true)
            {
                property.ShouldSerialize = static (_, _) => !s_active.Value;
            }
        }
    }
}
