using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Hoursmith.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Mvc;

namespace Hoursmith.Api.Infrastructure;

/// <summary>The common <c>?limit=</c> and <c>?cursor=</c> of every collection.</summary>
public sealed record PageQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Page size, 1–200.</summary>
    [FromQuery(Name = "limit")]
    [DefaultValue(DefaultLimit)]
    public int? Limit { get; init; }

    /// <summary>The previous page's <c>pagination.nextCursor</c>.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    public int EffectiveLimit => Limit ?? DefaultLimit;

    /// <summary>Checks the limit and decodes the cursor (an id to continue after); a bad one is a 400.</summary>
    public bool TryValidate(out Guid? after, [NotNullWhen(false)] out ApiErrorResult? error)
    {
        after = null;
        error = null;
        if (Limit is < 1 or > MaxLimit)
        {
            error = ApiErrors.BadRequest($"limit must be between 1 and {MaxLimit}.");
            return false;
        }

        if (Cursor is null)
        {
            return true;
        }

        if (DecodeCursor(Cursor) is { } id)
        {
            after = id;
            return true;
        }

        error = ApiErrors.BadRequest("cursor is not valid; pass pagination.nextCursor from the previous page unchanged.");
        return false;
    }

    public static string EncodeCursor(Guid lastId) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes("id:" + lastId.ToString("N"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Guid? DecodeCursor(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
            return text.StartsWith("id:", StringComparison.Ordinal) && Guid.TryParseExact(text.AsSpan(3), "N", out var id) ? id : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
