using System.Collections.Frozen;
using System.Text;
using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Infrastructure;

/// <summary>
/// Enum values as the reference writes them: <c>IN_PROGRESS</c>, <c>NON_BILLABLE</c>, but
/// <c>partially_paid</c>, <c>studio</c>. Parsing accepts any letter case (<c>active</c> = <c>ACTIVE</c>).
/// </summary>
public static class WireEnum<T> where T : struct, Enum
{
    // Enums whose wire values are lower case in the reference.
    private static readonly bool s_lowerCase = typeof(T) == typeof(PaymentStatus) || typeof(T) == typeof(Plan) || typeof(T) == typeof(PlanStatus) || typeof(T) == typeof(InvoiceLineKind)
        || typeof(T) == typeof(WebhookDeliveryStatus) || typeof(T) == typeof(WebhookEndpointStatus);

    private static readonly FrozenDictionary<T, string> s_names = Enum.GetValues<T>().ToFrozenDictionary(v => v, v => ToWire(v.ToString()));

    private static readonly FrozenDictionary<string, T> s_values = s_names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every wire value, in declaration order (for OpenAPI and messages).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<T>().Select(v => s_names[v])];

    public static string Format(T value) => s_names[value];

    /// <summary>Any letter case; the app's labels too, with spaces or hyphens for underscores ("Net 30", "in-progress").</summary>
    public static bool TryParse(string text, out T value) =>
        s_values.TryGetValue(text.Trim(), out value) || s_values.TryGetValue(text.Trim().Replace(' ', '_').Replace('-', '_'), out value);

    private static string ToWire(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            // NonBillable → NON_BILLABLE, Net30 → NET_30.
            if (i > 0 && (char.IsUpper(pascal[i]) || (char.IsDigit(pascal[i]) && !char.IsDigit(pascal[i - 1]))))
            {
                builder.Append('_');
            }

            builder.Append(pascal[i]);
        }

        var snake = builder.ToString();
        return s_lowerCase ? snake.ToLowerInvariant() : snake.ToUpperInvariant();
    }
}
