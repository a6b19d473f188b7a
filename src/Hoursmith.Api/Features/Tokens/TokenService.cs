using Hoursmith.Api.Administration;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Validation;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Tokens;

/// <summary>
/// Minting, listing and revoking tokens: the one implementation behind the CLI, <c>/api/v1/tokens</c>
/// and the Settings → API page. Who may see or revoke which token is <see cref="Visible"/>, read from
/// the permission table (your own; Owners and Admins every token of the workspace). The operator's
/// CLI acts outside any workspace role and reaches every token.
/// </summary>
public sealed class TokenService(HoursmithDb db, TimeProvider time)
{
    public const int NameMaxLength = 100;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Why a token name is refused (<c>required</c>, <c>too_long</c>, <c>invalid</c>), or null when it is fine.</summary>
    public static string? NameProblem(string? name)
    {
        var trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) ? "required"
            : trimmed.Length > NameMaxLength ? "too_long"
            : FieldValidator.HasControlCharacters(trimmed) ? "invalid"
            : null;
    }

    /// <summary>
    /// A token "expiring on" a date works through that whole day (UTC) and stops at the next midnight;
    /// null when the date is already past (today is the earliest).
    /// </summary>
    public static DateTime? ExpiresAt(DateOnly expiresOn, DateTime now)
    {
        var end = expiresOn.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return end > now ? end : null;
    }

    /// <summary>Mints a token for an active member of the workspace; the returned text is the only copy of the secret.</summary>
    public async Task<MintedToken> MintAsync(
        Guid workspaceId, Guid memberId, string name, TokenEnvironment environment, DateOnly? expiresOn, CancellationToken cancellationToken = default)
    {
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId && m.WorkspaceId == workspaceId, cancellationToken)
            ?? throw new AdministrationException($"Member {memberId} is not in workspace {workspaceId}.");
        if (member.RemovedAt is not null)
        {
            throw new AdministrationException($"Member {memberId} was removed from the workspace.");
        }

        switch (NameProblem(name))
        {
            case "required": throw new AdministrationException("--name must not be empty.", isInvalidInput: true);
            case "too_long": throw new AdministrationException($"--name is longer than {NameMaxLength} characters.", isInvalidInput: true);
            case "invalid": throw new AdministrationException("--name must not contain control characters.", isInvalidInput: true);
        }

        DateTime? expiresAt = null;
        if (expiresOn is { } day)
        {
            expiresAt = ExpiresAt(day, Now) ?? throw new AdministrationException("--expires must be today or a later date.", isInvalidInput: true);
        }

        string prefix;
        do
        {
            prefix = TokenFormat.NewPrefix();
        }
        while (await db.ApiTokens.AnyAsync(t => t.Prefix == prefix, cancellationToken));

        var secret = TokenFormat.NewSecret();
        var token = new ApiToken
        {
            WorkspaceId = member.WorkspaceId,
            MemberId = member.Id,
            Name = name.Trim(),
            Environment = environment,
            Prefix = prefix,
            SecretHash = TokenFormat.HashSecret(secret),
            CreatedAt = Now,
            ExpiresAt = expiresAt,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new MintedToken(TokenFormat.Compose(environment, prefix, secret), token);
    }

    /// <summary>
    /// The one rule of who sees (<see cref="ApiAction.Read"/>) or revokes and renames (<see cref="ApiAction.Write"/>)
    /// which token: the actor's workspace's tokens, narrowed to their own unless their role reaches the whole workspace.
    /// </summary>
    public static IQueryable<ApiToken> Visible(IQueryable<ApiToken> tokens, Actor actor, ApiAction action)
    {
        var inWorkspace = tokens.Where(t => t.WorkspaceId == actor.WorkspaceId);
        return actor.ReachOf(new Permission(ApiResource.Tokens, action)) switch
        {
            Reach.Workspace => inWorkspace,
            Reach.Own => inWorkspace.Where(t => t.MemberId == actor.MemberId),
            _ => inWorkspace.Where(_ => false),
        };
    }

    /// <summary>The tokens <paramref name="actor"/> may see, newest first, with the name of each token's member.</summary>
    public Task<List<TokenWithMember>> ListAsync(Actor actor, CancellationToken cancellationToken = default) =>
        Visible(db.ApiTokens.AsNoTracking(), actor, ApiAction.Read)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Select(t => new TokenWithMember(t, t.Member.Name))
            .ToListAsync(cancellationToken);

    /// <summary>Revokes a token <paramref name="actor"/> may write; null when they may not see it. Revoking twice is harmless.</summary>
    public async Task<ApiToken?> RevokeAsync(Actor actor, Guid tokenId, CancellationToken cancellationToken = default)
    {
        var token = await Visible(db.ApiTokens, actor, ApiAction.Write).FirstOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is not null)
        {
            token.RevokedAt ??= Now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return token;
    }

    /// <summary>The operator's list: every token of a workspace (or of one member), oldest first.</summary>
    public async Task<List<ApiToken>> ListForOperatorAsync(Guid workspaceId, Guid? memberId, CancellationToken cancellationToken = default)
    {
        if (!await db.Workspaces.AnyAsync(w => w.Id == workspaceId, cancellationToken))
        {
            throw new AdministrationException($"Workspace {workspaceId} does not exist.");
        }

        return await db.ApiTokens.AsNoTracking()
            .Where(t => t.WorkspaceId == workspaceId && (memberId == null || t.MemberId == memberId))
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The operator's revoke, by public prefix (the part of a leaked token anyone can read). Revoking twice is harmless.</summary>
    public async Task<ApiToken> RevokeByPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var normalized = prefix.Trim().ToLowerInvariant();
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Prefix == normalized, cancellationToken)
            ?? throw new AdministrationException($"No token has the prefix '{normalized}'.");
        token.RevokedAt ??= Now;
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }
}

/// <summary>A token and the name of the member it belongs to (the page's "Member" column).</summary>
public sealed record TokenWithMember(ApiToken Token, string MemberName);
