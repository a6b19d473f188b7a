using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Hoursmith.Api.Administration;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Web;

/// <summary>A link just made: the only moment its code exists outside the member's hands.</summary>
public sealed record IssuedSignInLink(string Code, DateTime ExpiresAt)
{
    public string UrlOn(string baseUrl) => $"{baseUrl.TrimEnd('/')}/sign-in/{Code}";
}

/// <summary>What a sign-in code turned out to be.</summary>
public enum SignInLinkState { Valid, Unknown, Used, Expired, MemberRemoved }

/// <summary>The result of pressing "Sign in": the member signed in, or why not.</summary>
public readonly record struct SignInAttempt(SignInLinkState State, Guid MemberId, Guid WorkspaceId);

/// <summary>
/// One-time sign-in links (web.md): a 256-bit random code, of which only a SHA-256 hash is stored;
/// usable once and until it expires. Consuming is one conditional UPDATE (still unused, not yet expired),
/// so of two requests on any instances exactly one changes the row and signs in.
/// </summary>
public sealed class SignInLinks(HoursmithDb db, TimeProvider time)
{
    public const int DefaultMinutes = 15;
    public const int MaxMinutes = 1440;

    /// <summary>32 random bytes, base64url without padding.</summary>
    private const int CodeLength = 43;
    private static readonly SearchValues<char> s_base64Url = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>How long used and expired links are kept before they are deleted (when another link is made).</summary>
    private static readonly TimeSpan s_retention = TimeSpan.FromDays(7);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>A link for an active member of the workspace, valid for <paramref name="minutes"/> (1–1440).</summary>
    public async Task<IssuedSignInLink> CreateAsync(Guid workspaceId, Guid memberId, int minutes, Guid? createdBy, CancellationToken cancellationToken = default)
    {
        if (minutes is < 1 or > MaxMinutes)
        {
            throw new AdministrationException($"--minutes must be between 1 and {MaxMinutes}.", isInvalidInput: true);
        }

        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId && m.WorkspaceId == workspaceId, cancellationToken)
            ?? throw new AdministrationException($"Member {memberId} is not in workspace {workspaceId}.");
        if (member.RemovedAt is not null)
        {
            throw new AdministrationException($"Member {memberId} was removed from the workspace.");
        }

        var now = Now;
        var stale = now - s_retention;
        await db.SignInLinks.Where(l => l.ExpiresAt < stale).ExecuteDeleteAsync(cancellationToken);

        var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var link = new SignInLink
        {
            WorkspaceId = workspaceId,
            MemberId = memberId,
            CodeHash = Hash(code),
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(minutes),
            CreatedByMemberId = createdBy,
        };
        db.SignInLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedSignInLink(code, link.ExpiresAt);
    }

    /// <summary>What the link is, without using it up (the page shown before "Sign in" is pressed).</summary>
    public async Task<SignInLinkState> CheckAsync(string? code, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(code))
        {
            return SignInLinkState.Unknown;
        }

        var hash = Hash(code);
        var link = await db.SignInLinks.AsNoTracking().Where(l => l.CodeHash == hash)
            .Select(l => new { l.UsedAt, l.ExpiresAt, l.Member.RemovedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return link is null ? SignInLinkState.Unknown
            : link.UsedAt is not null ? SignInLinkState.Used
            : link.ExpiresAt <= Now ? SignInLinkState.Expired
            : link.RemovedAt is not null ? SignInLinkState.MemberRemoved
            : SignInLinkState.Valid;
    }

    /// <summary>Uses the link up, atomically on either store: only the request whose update changed the row signs in.</summary>
    public async Task<SignInAttempt> ConsumeAsync(string? code, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(code))
        {
            return new SignInAttempt(SignInLinkState.Unknown, default, default);
        }

        var hash = Hash(code);
        var now = Now;
        var consumed = await db.SignInLinks
            .Where(l => l.CodeHash == hash && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), cancellationToken);
        if (consumed != 1)
        {
            // Unknown, used or expired; a link that reads as valid now was used by a concurrent request.
            var state = await CheckAsync(code, cancellationToken);
            return new SignInAttempt(state == SignInLinkState.Valid ? SignInLinkState.Used : state, default, default);
        }

        var link = await db.SignInLinks.AsNoTracking().Where(l => l.CodeHash == hash)
            .Select(l => new { l.MemberId, l.WorkspaceId, l.Member.RemovedAt })
            .FirstAsync(cancellationToken);
        return link.RemovedAt is not null
            ? new SignInAttempt(SignInLinkState.MemberRemoved, default, default)
            : new SignInAttempt(SignInLinkState.Valid, link.MemberId, link.WorkspaceId);
    }

    /// <summary>Checked before any database work: exactly the shape this class makes.</summary>
    internal static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? code) =>
        code is { Length: CodeLength } && !code.AsSpan().ContainsAnyExcept(s_base64Url);

    /// <summary>
    /// SHA-256 of the code. A 256-bit random code leaves nothing to guess, so a fast hash suffices, and
    /// looking a hash up by index reveals nothing about codes that were not sent.
    /// </summary>
    internal static byte[] Hash(string code) => SHA256.HashData(Encoding.ASCII.GetBytes(code));
}
