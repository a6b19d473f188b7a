namespace Hoursmith.Api.Data.Entities;

public enum TokenEnvironment { Live, Test }

/// <summary>
/// An <c>hsk_…</c> token. Only a SHA-256 hash of the secret part is kept; the whole token
/// is shown once at minting and can never be read back.
/// </summary>
public sealed class ApiToken : Hoursmith.Api.Infrastructure.IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Workspace Workspace { get; set; } = null!;
    public Guid MemberId { get; set; }
    public Member Member { get; set; } = null!;
    public required string Name { get; set; }
    public TokenEnvironment Environment { get; set; }
    /// <summary>The public look-up id (12 lowercase hex), unique across all workspaces.</summary>
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
