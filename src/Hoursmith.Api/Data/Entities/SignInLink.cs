namespace Hoursmith.Api.Data.Entities;

/// <summary>
/// A one-time link that signs a member into the web pages. Only a SHA-256 hash of its random code is
/// kept; the code itself exists in the printed or shown link alone.
/// </summary>
public sealed class SignInLink
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid MemberId { get; set; }
    public Member Member { get; set; } = null!;
    public required byte[] CodeHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    /// <summary>Set once, by the request that signed in with it.</summary>
    public DateTime? UsedAt { get; set; }
    /// <summary>The Owner or Admin who made it in the web pages; null when the operator's CLI made it.</summary>
    public Guid? CreatedByMemberId { get; set; }
}
