namespace Hoursmith.Api.Data.Entities;

public enum ProjectStatus { Active, Completed, Archived }

public enum RateType { Hourly, Fixed, NonBillable }

public sealed class Project : WorkspaceEntity, ISoftDeletable
{
    public Guid ClientId { get; set; }
    public Client Client { get; set; } = null!;
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? Color { get; set; }
    public ProjectStatus Status { get; set; } = ProjectStatus.Active;
    public RateType RateType { get; set; } = RateType.Hourly;
    public decimal? HourlyRate { get; set; }
    public decimal? FixedFeeAmount { get; set; }
    public decimal? BudgetHours { get; set; }
    public decimal? BudgetAmount { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public DateTime? DeletedAt { get; set; }

    public List<ProjectMember> Members { get; } = [];
}

/// <summary>A Member added to a project (Members only see projects they are on).</summary>
public sealed class ProjectMember
{
    public Guid ProjectId { get; set; }
    public Guid MemberId { get; set; }
    public DateTime AddedAt { get; set; }
}
