namespace Hoursmith.Api.Data.Entities;

public enum Role { Owner, Admin, Manager, Member }

/// <summary>A person in a workspace. Removal is a soft delete so their history stays.</summary>
public sealed class Member : Hoursmith.Api.Infrastructure.IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Workspace Workspace { get; set; } = null!;
    public required string Name { get; set; }
    public required string Email { get; set; }
    public Role Role { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? RemovedAt { get; set; }

    public bool IsActive => RemovedAt is null;
}
