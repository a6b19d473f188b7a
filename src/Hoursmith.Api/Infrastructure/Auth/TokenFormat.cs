using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Infrastructure.Auth;

/// <summary>
/// The <c>hsk_&lt;env&gt;_&lt;prefix&gt;_&lt;secret&gt;</c> token shape: generation, parsing and hashing.
/// Parsing is allocation-free apart from the prefix string, and runs before any database work.
/// </summary>
public static class TokenFormat
{
    public const string Brand = "hsk_";
    public const int PrefixLength = 12;
    public const int SecretLength = 32;
    public const int HashLength = 32;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string LowerHex = "0123456789abcdef";
    private static readonly SearchValues<char> s_base62 = SearchValues.Create(Base62);
    private static readonly SearchValues<char> s_lowerHex = SearchValues.Create(LowerHex);

    /// <summary>"hsk_" + "live"/"test" + "_" + 12 + "_" + 32.</summary>
    public const int TokenLength = 4 + 4 + 1 + PrefixLength + 1 + SecretLength;

    public static string EnvironmentName(TokenEnvironment environment) =>
        environment == TokenEnvironment.Live ? "live" : "test";

    public static bool TryParseEnvironment(string? value, out TokenEnvironment environment)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "live": environment = TokenEnvironment.Live; return true;
            case "test": environment = TokenEnvironment.Test; return true;
            default: environment = default; return false;
        }
    }

    /// <summary>A new random public prefix (cryptographic RNG).</summary>
    public static string NewPrefix() => RandomNumberGenerator.GetString(LowerHex, PrefixLength);

    /// <summary>A new random secret: 32 base62 characters, about 190 bits (cryptographic RNG, unbiased).</summary>
    public static string NewSecret() => RandomNumberGenerator.GetString(Base62, SecretLength);

    public static string Compose(TokenEnvironment environment, string prefix, string secret) =>
        $"{Brand}{EnvironmentName(environment)}_{prefix}_{secret}";

    /// <summary>Checks the exact shape; on success returns the environment, prefix and secret parts.</summary>
    public static bool TryParse(ReadOnlySpan<char> token, out TokenEnvironment environment, out ReadOnlySpan<char> prefix, out ReadOnlySpan<char> secret)
    {
        environment = default;
        prefix = default;
        secret = default;
        if (token.Length != TokenLength || !token.StartsWith(Brand, StringComparison.Ordinal))
        {
            return false;
        }

        var env = token.Slice(4, 4);
        if (env.SequenceEqual("live"))
        {
            environment = TokenEnvironment.Live;
        }
        else if (env.SequenceEqual("test"))
        {
            environment = TokenEnvironment.Test;
        }
        else
        {
            return false;
        }

        if (token[8] != '_' || token[9 + PrefixLength] != '_')
        {
            return false;
        }

        var prefixPart = token.Slice(9, PrefixLength);
        var secretPart = token.Slice(10 + PrefixLength, SecretLength);
        if (prefixPart.ContainsAnyExcept(s_lowerHex) || secretPart.ContainsAnyExcept(s_base62))
        {
            return false;
        }

        prefix = prefixPart;
        secret = secretPart;
        return true;
    }

    /// <summary>SHA-256 of the secret. The secret has ~190 bits of entropy, so a slow KDF adds nothing.</summary>
    public static byte[] HashSecret(ReadOnlySpan<char> secret)
    {
        Span<byte> ascii = stackalloc byte[SecretLength];
        var written = Encoding.ASCII.GetBytes(secret, ascii);
        return SHA256.HashData(ascii[..written]);
    }
}
