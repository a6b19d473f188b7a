using System.Security.Cryptography;
using System.Text;
using Hoursmith.Api.Data;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Features.Webhooks;

/// <summary>
/// Signing secrets: <c>wsk_</c> + 32 base62 characters from a cryptographic RNG, shown once. Unlike API
/// tokens they must be recoverable (the server signs with them), so they are encrypted at rest with
/// AES-256-GCM, bound to their endpoint's id (a ciphertext copied to another endpoint does not decrypt).
/// The key is <c>Webhooks:SecretKey</c> (SHA-256 of it) or, unset, a random key kept in the database.
/// </summary>
public sealed class WebhookSecrets(IServiceScopeFactory scopes, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string Prefix = "wsk_";
    public const int ShownPrefixLength = 12;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    public const string ServerSecretName = "webhook-secrets";

    private readonly Lazy<byte[]> _key = new(() => LoadKey(scopes, options.Value, time));

    /// <summary>
    /// Reads (or makes) the key now. The server calls it at start: made on first use inside a request's
    /// transaction it would wait on that very transaction (SQLite's one writer), or be cached while its
    /// row rolled back with the request.
    /// </summary>
    public void EnsureKey() => _ = _key.Value;

    public static string NewSecret() => Prefix + RandomNumberGenerator.GetString(Alphabet, 32);

    public static string ShownPrefix(string secret) => secret[..ShownPrefixLength];

    public byte[] Encrypt(Guid endpointId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBox = new byte[1 + NonceBytes + TagBytes + plain.Length];
        sealedBox[0] = Version;
        var nonce = sealedBox.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, TagBytes);
        aes.Encrypt(nonce, plain, sealedBox.AsSpan(1 + NonceBytes + TagBytes), sealedBox.AsSpan(1 + NonceBytes, TagBytes), endpointId.ToByteArray());
        return sealedBox;
    }

    /// <summary>The secret, or null when it cannot be decrypted (another key, or a row copied from another endpoint).</summary>
    public string? Decrypt(Guid endpointId, byte[] sealedBox)
    {
        if (sealedBox.Length < 1 + NonceBytes + TagBytes || sealedBox[0] != Version)
        {
            return null;
        }

        var plain = new byte[sealedBox.Length - 1 - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(_key.Value, TagBytes);
            aes.Decrypt(sealedBox.AsSpan(1, NonceBytes), sealedBox.AsSpan(1 + NonceBytes + TagBytes), sealedBox.AsSpan(1 + NonceBytes, TagBytes), plain, endpointId.ToByteArray());
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] LoadKey(IServiceScopeFactory scopes, WebhookOptions options, TimeProvider time)
    {
        if (!string.IsNullOrEmpty(options.SecretKey))
        {
            return SHA256.HashData(Encoding.UTF8.GetBytes(options.SecretKey));
        }

        using var scope = scopes.CreateScope();
        return ServerSecrets.GetOrCreate(scope.ServiceProvider.GetRequiredService<HoursmithDb>(), ServerSecretName, time);
    }
}
