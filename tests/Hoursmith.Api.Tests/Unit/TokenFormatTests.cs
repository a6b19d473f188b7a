using System.Text.RegularExpressions;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;

namespace Hoursmith.Api.Tests.Unit;

public partial class TokenFormatTests
{
    [GeneratedRegex("^hsk_(live|test)_[0-9a-f]{12}_[0-9A-Za-z]{32}$")]
    private static partial Regex DocumentedShape();

    [Theory]
    [InlineData(TokenEnvironment.Live)]
    [InlineData(TokenEnvironment.Test)]
    public void Composed_tokens_have_the_documented_shape_and_parse_back(TokenEnvironment environment)
    {
        var prefix = TokenFormat.NewPrefix();
        var secret = TokenFormat.NewSecret();
        var token = TokenFormat.Compose(environment, prefix, secret);

        Assert.Matches(DocumentedShape(), token);
        Assert.True(TokenFormat.TryParse(token, out var parsedEnvironment, out var parsedPrefix, out var parsedSecret));
        Assert.Equal(environment, parsedEnvironment);
        Assert.Equal(prefix, parsedPrefix.ToString());
        Assert.Equal(secret, parsedSecret.ToString());
    }

    [Fact]
    public void The_documented_example_token_parses()
    {
        Assert.True(TokenFormat.TryParse("hsk_live_4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE", out var env, out var prefix, out _));
        Assert.Equal(TokenEnvironment.Live, env);
        Assert.Equal("4f8a2c1bdedf", prefix.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("hsk_live_4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0g")]    // secret one short
    [InlineData("hsk_live_4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gEE")]  // secret one long
    [InlineData("hsk_prod_4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE")]   // unknown environment
    [InlineData("HSK_live_4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE")]   // brand is case-sensitive
    [InlineData("hsk_live_4F8A2C1BDEDF_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE")]   // prefix is lowercase hex
    [InlineData("hsk_live_4f8a2c1bdedz_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE")]   // prefix not hex
    [InlineData("hsk_live_4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0g!")]   // secret not base62
    [InlineData("hsk_live-4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE")]   // separator
    [InlineData("hsk_live_4f8a2c1bdedf-9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE")]   // separator
    [InlineData("sk_live_4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gEx")]   // another brand, same length
    public void Malformed_tokens_are_rejected_before_any_lookup(string token)
    {
        Assert.False(TokenFormat.TryParse(token, out _, out _, out _));
    }

    [Fact]
    public void Secrets_are_random_and_hashes_are_deterministic_sha256()
    {
        var secrets = Enumerable.Range(0, 200).Select(_ => TokenFormat.NewSecret()).ToHashSet();
        Assert.Equal(200, secrets.Count);
        var secret = secrets.First();
        Assert.Equal(32, TokenFormat.HashSecret(secret).Length);
        Assert.Equal(TokenFormat.HashSecret(secret), TokenFormat.HashSecret(secret));
        Assert.NotEqual(TokenFormat.HashSecret(secret), TokenFormat.HashSecret(secrets.Last()));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(secret)), TokenFormat.HashSecret(secret));
    }

    [Fact]
    public void Prefixes_use_every_hex_digit_and_secrets_every_base62_class()
    {
        var prefixes = string.Concat(Enumerable.Range(0, 100).Select(_ => TokenFormat.NewPrefix()));
        Assert.Equal(16, prefixes.Distinct().Count());
        var secrets = string.Concat(Enumerable.Range(0, 100).Select(_ => TokenFormat.NewSecret()));
        Assert.Equal(62, secrets.Distinct().Count());
    }
}
