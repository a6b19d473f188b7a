using Hoursmith.Api.Features.Webhooks;

namespace Hoursmith.Api.Tests.Unit;

/// <summary>Test vectors for <c>Hoursmith-Signature</c> (computed independently with Python's hmac), and the receiver's checks.</summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "wsk_7Hq2LmX9vB4nT8cR1kW6zY3pD5sF0gJa";
    private const long T = 1733050800;
    private const string Body = """{"id":"0193a5d8-6a77-7c88-9d99-aebf01b2c348","type":"invoice.paid"}""";

    [Theory]
    [InlineData(Body, "6497aef60c4eb67ceaeceb05ed570e5d31f122b20f546957fc75adda105c03d3")]
    [InlineData("""{"type":"café"}""", "0de949b09cb3d26b1aa4a4ab794947a29371c745ab74b4a18f33302feb43c9ed")]
    public void The_signature_is_hex_hmac_sha256_of_t_dot_body_with_the_whole_secret(string body, string expected)
    {
        Assert.Equal(expected, WebhookSignature.Compute(Secret, T, body));
        Assert.Equal($"t={T},v1={expected}", WebhookSignature.Header(Secret, T, body));
    }

    [Fact]
    public void A_fresh_untouched_delivery_verifies()
    {
        var header = WebhookSignature.Header(Secret, T, Body);
        Assert.True(WebhookSignature.Verify(Secret, header, Body, DateTimeOffset.FromUnixTimeSeconds(T + 299)));
    }

    [Fact]
    public void A_tampered_body_another_secret_a_stale_t_or_a_malformed_header_is_rejected()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(T + 10);
        var header = WebhookSignature.Header(Secret, T, Body);
        Assert.False(WebhookSignature.Verify(Secret, header, Body.Replace("paid", "sent", StringComparison.Ordinal), now));
        Assert.False(WebhookSignature.Verify("wsk_someoneElse000000000000000000000", header, Body, now));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, DateTimeOffset.FromUnixTimeSeconds(T + 301)));
        Assert.False(WebhookSignature.Verify(Secret, null, Body, now));
        Assert.False(WebhookSignature.Verify(Secret, "v1=" + WebhookSignature.Compute(Secret, T, Body), Body, now));
        // t is part of what is signed: moving it forward breaks the signature.
        Assert.False(WebhookSignature.Verify(Secret, header.Replace($"t={T}", $"t={T + 5}", StringComparison.Ordinal), Body, now));
    }
}
