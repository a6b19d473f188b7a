using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;

namespace Hoursmith.Api.Features.Tokens;

/// <summary>A token as the API and the CLI show it: everything but the secret, which is never kept.</summary>
/// <param name="Status"><c>active</c>, <c>revoked</c> or <c>expired</c>.</param>
public sealed record TokenView(
    Guid Id,
    Guid OrgId,
    Guid MemberId,
    string Name,
    string Prefix,
    string Env,
    string Status,
    DateTime CreatedAt,
    DateTime? LastUsedAt,
    DateTime? ExpiresAt,
    DateTime? RevokedAt)
{
    public static TokenView From(ApiToken token, DateTime now) => new(
        token.Id,
        token.WorkspaceId,
        token.MemberId,
        token.Name,
        token.Prefix,
        TokenFormat.EnvironmentName(token.Environment),
        token.RevokedAt is not null ? "revoked" : token.ExpiresAt <= now ? "expired" : "active",
        token.CreatedAt,
        token.LastUsedAt,
        token.ExpiresAt,
        token.RevokedAt);
}
