namespace Hoursmith.Api.Data.Entities;

public sealed class TimeEntry : WorkspaceEntity, ISoftDeletable
{
    /// <summary>The member who worked ("userId" in the API).</summary>
    public Guid MemberId { get; set; }
    public Guid ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public Guid? TaskId { get; set; }
    /// <summary>Set while the entry is on a live invoice; such an entry is locked.</summary>
    public Guid? InvoiceId { get; set; }
    /// <summary>Null while a timer runs.</summary>
    public long? DurationSeconds { get; set; }
    public bool Billable { get; set; } = true;
    public string? Note { get; set; }
    public DateOnly EntryDate { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? StoppedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    public bool IsRunning => StartedAt is not null && StoppedAt is null;
}
