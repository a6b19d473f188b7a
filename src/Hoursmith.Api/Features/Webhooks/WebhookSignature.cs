using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hoursmith.Api.Features.Webhooks;

/// <summary>
/// <c>Hoursmith-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c> over <c>&lt;t&gt;.&lt;raw body&gt;</c>,
/// keyed with the endpoint's whole secret (<c>wsk_…</c>, its UTF-8 bytes). The receiver side is in examples/webhooks.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Hoursmith-Signature";

    /// <summary>How old a <c>t</c> a receiver accepts (webhooks.md).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    public static string Header(string secret, long timestamp, string body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, timestamp, body)}";

    /// <summary>The lower-case hex HMAC-SHA256 of <c>&lt;t&gt;.&lt;body&gt;</c>.</summary>
    public static string Compute(string secret, long timestamp, string body)
    {
        var payload = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }

    /// <summary>What a receiver does: a well-formed header, a fresh <c>t</c>, and a constant-time match of one <c>v1</c>.</summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now)
    {
        if (header is null)
        {
            return false;
        }

        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }

            if (pair[0].Trim() == "t" && long.TryParse(pair[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (pair[0].Trim() == "v1")
            {
                signatures.Add(pair[1].Trim());
            }
        }

        if (timestamp is not { } sentAt || Math.Abs(now.ToUnixTimeSeconds() - sentAt) > Tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, sentAt, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }
}
