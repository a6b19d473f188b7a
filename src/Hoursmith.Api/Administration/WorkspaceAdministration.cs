using System.Net.Mail;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Administration;

/// <summary>A refused administrative change: bad input (<see cref="IsInvalidInput"/>) or a missing or conflicting entity.</summary>
public sealed class AdministrationException : Exception
{
    public AdministrationException(string message, bool isInvalidInput) : base(message)
    {
        IsInvalidInput = isInvalidInput;
    }

    public AdministrationException(string message) : base(message)
    {
    }

    public AdministrationException() : this("The change was refused.")
    {
    }

    public AdministrationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public bool IsInvalidInput { get; }
}

/// <summary>A freshly minted token: the only moment its full text exists.</summary>
public sealed record MintedToken(string Token, ApiToken Record);

/// <summary>
/// The workspace, member and token operations behind the CLI and the demo seed. Every rule about
/// who may exist in a workspace lives here, so the CLI, the seed and the tests share one path.
/// </summary>
public sealed class WorkspaceAdministration(HoursmithDb db, TokenService tokens, TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<(Workspace Workspace, Member Owner)> CreateWorkspaceAsync(
        string name, Plan plan, string ownerEmail, string? ownerName, string? currency, CancellationToken cancellationToken = default)
    {
        var workspace = new Workspace
        {
            Name = RequireText(name, "--name", 200),
            Plan = plan,
            Currency = NormalizeCurrency(currency),
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        var email = NormalizeEmail(ownerEmail);
        var owner = new Member
        {
            Workspace = workspace,
            Name = string.IsNullOrWhiteSpace(ownerName) ? email.Split('@')[0] : RequireText(ownerName, "--owner-name", 200),
            Email = email,
            Role = Role.Owner,
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        db.Workspaces.Add(workspace);
        db.Members.Add(owner);
        await db.SaveChangesAsync(cancellationToken);
        return (workspace, owner);
    }

    public async Task<Workspace> SetPlanAsync(Guid workspaceId, Plan? plan, PlanStatus? status, CancellationToken cancellationToken = default)
    {
        var workspace = await FindWorkspaceAsync(workspaceId, cancellationToken);
        workspace.Plan = plan ?? workspace.Plan;
        workspace.PlanStatus = status ?? workspace.PlanStatus;
        workspace.UpdatedAt = Now;
        await db.SaveChangesAsync(cancellationToken);
        return workspace;
    }

    /// <summary>Every workspace, oldest first, with its first Owner (the one who created it, unless they changed role).</summary>
    public async Task<List<(Workspace Workspace, Member? Owner)>> ListWorkspacesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Workspaces.AsNoTracking()
            .OrderBy(w => w.CreatedAt).ThenBy(w => w.Id)
            .Select(w => new
            {
                Workspace = w,
                Owner = db.Members.Where(m => m.WorkspaceId == w.Id && m.Role == Role.Owner && m.RemovedAt == null)
                    .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Workspace, r.Owner))];
    }

    /// <summary>The workspace's active members, oldest first (removed members cannot sign in or hold working tokens).</summary>
    public async Task<List<Member>> ListMembersAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await FindWorkspaceAsync(workspaceId, cancellationToken);
        return await db.Members.AsNoTracking()
            .Where(m => m.WorkspaceId == workspaceId && m.RemovedAt == null)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
    }

    public async Task<Member> AddMemberAsync(Guid workspaceId, string email, string name, Role role, CancellationToken cancellationToken = default)
    {
        var workspace = await FindWorkspaceAsync(workspaceId, cancellationToken);
        var normalized = NormalizeEmail(email);
        if (await db.Members.AnyAsync(m => m.WorkspaceId == workspaceId && m.Email == normalized, cancellationToken))
        {
            throw new AdministrationException($"{normalized} is already a member of this workspace.");
        }

        var cap = Workspace.MemberCap(workspace.Plan);
        if (await db.Members.CountAsync(m => m.WorkspaceId == workspaceId && m.RemovedAt == null, cancellationToken) >= cap)
        {
            throw new AdministrationException($"The {workspace.Plan} plan allows at most {cap} members.");
        }

        var member = new Member
        {
            WorkspaceId = workspaceId,
            Name = RequireText(name, "--name", 200),
            Email = normalized,
            Role = role,
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        db.Members.Add(member);
        await db.SaveChangesAsync(cancellationToken);
        return member;
    }

    public async Task<Member> SetRoleAsync(Guid workspaceId, Guid memberId, Role role, CancellationToken cancellationToken = default)
    {
        var member = await FindActiveMemberAsync(workspaceId, memberId, cancellationToken);
        if (member.Role == Role.Owner && role != Role.Owner && !await HasAnotherOwnerAsync(member, cancellationToken))
        {
            throw new AdministrationException("A workspace keeps at least one Owner; make someone else Owner first.");
        }

        member.Role = role;
        member.UpdatedAt = Now;
        await db.SaveChangesAsync(cancellationToken);
        return member;
    }

    /// <summary>Removes a member; all of their tokens stop working on the next request.</summary>
    public async Task<Member> RemoveMemberAsync(Guid workspaceId, Guid memberId, CancellationToken cancellationToken = default)
    {
        var member = await FindActiveMemberAsync(workspaceId, memberId, cancellationToken);
        if (member.Role == Role.Owner)
        {
            throw new AdministrationException("An Owner cannot be removed; change their role first.");
        }

        member.RemovedAt = Now;
        member.UpdatedAt = Now;
        await db.SaveChangesAsync(cancellationToken);
        return member;
    }

    /// <summary>The operator's mint (any active member of the workspace), through the one <see cref="TokenService"/>.</summary>
    public Task<MintedToken> MintTokenAsync(
        Guid workspaceId, Guid memberId, string name, TokenEnvironment environment, DateOnly? expires, CancellationToken cancellationToken = default) =>
        tokens.MintAsync(workspaceId, memberId, name, environment, expires, cancellationToken);

    /// <inheritdoc cref="TokenService.ListForOperatorAsync"/>
    public Task<List<ApiToken>> ListTokensAsync(Guid workspaceId, Guid? memberId, CancellationToken cancellationToken = default) =>
        tokens.ListForOperatorAsync(workspaceId, memberId, cancellationToken);

    /// <inheritdoc cref="TokenService.RevokeByPrefixAsync"/>
    public Task<ApiToken> RevokeTokenAsync(string prefix, CancellationToken cancellationToken = default) =>
        tokens.RevokeByPrefixAsync(prefix, cancellationToken);

    private async Task<Workspace> FindWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken)
        ?? throw new AdministrationException($"Workspace {workspaceId} does not exist.");

    private async Task<Member> FindActiveMemberAsync(Guid workspaceId, Guid memberId, CancellationToken cancellationToken)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == memberId && m.WorkspaceId == workspaceId, cancellationToken)
            ?? throw new AdministrationException($"Member {memberId} is not in workspace {workspaceId}.");
        return member.RemovedAt is null ? member : throw new AdministrationException($"Member {memberId} was removed from the workspace.");
    }

    private Task<bool> HasAnotherOwnerAsync(Member owner, CancellationToken cancellationToken) =>
        db.Members.AnyAsync(m => m.WorkspaceId == owner.WorkspaceId && m.Id != owner.Id && m.Role == Role.Owner && m.RemovedAt == null, cancellationToken);

    private static string RequireText(string? value, string option, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new AdministrationException($"{option} must not be empty.", isInvalidInput: true);
        }

        return trimmed.Length <= maxLength
            ? trimmed
            : throw new AdministrationException($"{option} is longer than {maxLength} characters.", isInvalidInput: true);
    }

    private static string NormalizeEmail(string email)
    {
        var trimmed = email.Trim();
        return MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed && trimmed.Length <= 320
            ? trimmed.ToLowerInvariant()
            : throw new AdministrationException($"'{email}' is not an email address.", isInvalidInput: true);
    }

    private static string NormalizeCurrency(string? currency)
    {
        if (string.IsNullOrWhiteSpace(currency))
        {
            return "USD";
        }

        var code = currency.Trim().ToUpperInvariant();
        return code.Length == 3 && code.All(char.IsAsciiLetterUpper)
            ? code
            : throw new AdministrationException($"'{currency}' is not an ISO 4217 currency code.", isInvalidInput: true);
    }
}
