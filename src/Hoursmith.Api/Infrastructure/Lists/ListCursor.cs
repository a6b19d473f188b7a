using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Hoursmith.Api.Infrastructure.Lists;

/// <summary>Where a page ended: the last row's sort key (invariant text, null for a null key) and id.</summary>
public readonly record struct CursorPosition(string? Key, Guid Id);

/// <summary>
/// Opaque, tamper-evident keyset cursors. A cursor carries the last row's position and a digest of
/// what it was issued for (workspace, collection, sort, filters, search), all under an HMAC-SHA256
/// tag: a changed byte, a cursor of another workspace or a cursor reused with another sort or
/// filter fails to decode, and the caller answers 400.
/// </summary>
public sealed class ListCursor(byte[] key)
{
    private const byte Version = 1;
    private const int BindingLength = 16;
    private const int TagLength = 16;

    /// <summary>
    /// A digest of everything a cursor is only valid for. Each part goes in with its length before it,
    /// so no value can spell a boundary: a search for <c>"a\nclientId=X"</c> is not a search for
    /// <c>a</c> plus a <c>clientId</c> filter.
    /// </summary>
    public static byte[] Binding(IEnumerable<string> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        return hash.GetHashAndReset()[..BindingLength];
    }

    public string Encode(CursorPosition position, byte[] binding)
    {
        var keyBytes = position.Key is null ? [] : Encoding.UTF8.GetBytes(position.Key);
        // version | binding | id | key flag | key length | key | tag
        var length = 1 + BindingLength + 16 + 1 + 2 + keyBytes.Length;
        var buffer = new byte[length + TagLength];
        var span = buffer.AsSpan();
        span[0] = Version;
        binding.AsSpan(0, BindingLength).CopyTo(span[1..]);
        position.Id.TryWriteBytes(span[(1 + BindingLength)..], bigEndian: true, out _);
        var offset = 1 + BindingLength + 16;
        span[offset] = position.Key is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 1)..], checked((ushort)keyBytes.Length));
        keyBytes.CopyTo(span[(offset + 3)..]);
        HMACSHA256.HashData(key, span[..length])[..TagLength].CopyTo(span[length..]);
        return Base64UrlEncode(buffer);
    }

    /// <summary>The position, or null when the cursor is malformed, tampered or issued for another query.</summary>
    public CursorPosition? Decode(string cursor, byte[] binding)
    {
        // Only the spelling Encode produces: base64 decoders ignore padding, whitespace and the spare
        // low bits of the last character, so other spellings of the same bytes would pass as unchanged.
        if (cursor.Length is 0 or > 2048 || Base64UrlDecode(cursor) is not { } buffer || !string.Equals(Base64UrlEncode(buffer), cursor, StringComparison.Ordinal))
        {
            return null;
        }

        const int fixedLength = 1 + BindingLength + 16 + 1 + 2;
        if (buffer.Length < fixedLength + TagLength)
        {
            return null;
        }

        var length = buffer.Length - TagLength;
        var span = buffer.AsSpan();
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(key, span[..length], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected[..TagLength], span[length..]))
        {
            return null;
        }

        if (span[0] != Version || !CryptographicOperations.FixedTimeEquals(span.Slice(1, BindingLength), binding.AsSpan(0, BindingLength)))
        {
            return null;
        }

        var id = new Guid(span.Slice(1 + BindingLength, 16), bigEndian: true);
        var offset = 1 + BindingLength + 16;
        var hasKey = span[offset] == 1;
        var keyLength = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 1)..]);
        if (fixedLength + keyLength != length)
        {
            return null;
        }

        return new CursorPosition(hasKey ? Encoding.UTF8.GetString(span.Slice(fixedLength, keyLength)) : null, id);
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? Base64UrlDecode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        var bytes = new byte[base64.Length * 3 / 4];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? bytes[..written] : null;
    }
}
