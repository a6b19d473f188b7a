namespace Hoursmith.Api.Data.Entities;

public enum WorkTaskStatus { Todo, InProgress, Done }

public enum TaskPriority { Low, Medium, High }

/// <summary>A task of a project ("tasks" in the API; named so it never meets System.Threading.Tasks.Task).</summary>
public sealed class WorkTask : WorkspaceEntity, ISoftDeletable
{
    public Guid ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public required string Name { get; set; }
    public string? Description { get; set; }
    public WorkTaskStatus Status { get; set; } = WorkTaskStatus.Todo;
    public TaskPriority? Priority { get; set; }
    public bool Billable { get; set; } = true;
    public decimal? EstimatedHours { get; set; }
    public List<string> Tags { get; set; } = [];
    public DateOnly? StartDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public DateTime? DeletedAt { get; set; }

    public List<TaskAssignee> Assignees { get; } = [];
}

public sealed class TaskAssignee
{
    public Guid TaskId { get; set; }
    public Guid MemberId { get; set; }
}
