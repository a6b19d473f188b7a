using System.Text.Json.Serialization;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.OpenApi;

namespace Hoursmith.Api.Features.Tasks;

/// <summary>A task's writable fields. On PATCH, omitted fields stay, null clears, and arrays are replaced whole.</summary>
/// <param name="ProjectId">Required on create; cannot change afterwards (time entries hang off the task's project).</param>
/// <param name="Status">TODO, IN_PROGRESS or DONE (new tasks are TODO). The only field a Member may change, on tasks assigned to them.</param>
/// <param name="Priority">LOW, MEDIUM or HIGH; null for none.</param>
/// <param name="Billable">Defaults to true.</param>
/// <param name="EstimatedHours">A number or a decimal string, at least 0, at most 2 decimals.</param>
/// <param name="AssigneeIds">Member ids (active members of the workspace). Assigning someone adds them to the project.</param>
/// <param name="Tags">Trimmed; blanks and duplicates (any letter case) dropped; at most 20 tags of at most 50 characters.</param>
/// <param name="DueDate">Not before startDate.</param>
/// <param name="EndDate">Not before startDate.</param>
public sealed record TaskInput(
    [property: Field(FieldFormat.Uuid, Required = true)] string? ProjectId,
    [property: Field(Required = true, MaxLength = 200)] string? Name,
    [property: Field(MaxLength = 5000)] string? Description,
    [property: EnumValues(typeof(WorkTaskStatus)), Field(NotNull = true)] string? Status,
    [property: EnumValues(typeof(TaskPriority)), Field] string? Priority,
    bool? Billable,
    [property: JsonConverter(typeof(NumberOrStringConverter)), Field(FieldFormat.DecimalText)] string? EstimatedHours,
    IReadOnlyList<string?>? AssigneeIds,
    IReadOnlyList<string?>? Tags,
    [property: Field(FieldFormat.Date)] string? StartDate,
    [property: Field(FieldFormat.Date)] string? DueDate,
    [property: Field(FieldFormat.Date)] string? EndDate);

/// <param name="AssigneeIds">Member ids, in id order.</param>
public sealed record TaskView(
    Guid Id,
    Guid OrgId,
    Guid ProjectId,
    string Name,
    string? Description,
    [property: EnumValues(typeof(WorkTaskStatus))] string Status,
    [property: EnumValues(typeof(TaskPriority))] string? Priority,
    bool Billable,
    [property: NotMoney("hours")] decimal? EstimatedHours,
    IReadOnlyList<Guid> AssigneeIds,
    IReadOnlyList<string> Tags,
    DateOnly? StartDate,
    DateOnly? DueDate,
    DateOnly? EndDate,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt)
{
    /// <summary>Needs <see cref="WorkTask.Assignees"/> loaded.</summary>
    public static TaskView From(WorkTask t) => new(
        t.Id, t.WorkspaceId, t.ProjectId, t.Name, t.Description,
        WireEnum<WorkTaskStatus>.Format(t.Status), t.Priority is { } priority ? WireEnum<TaskPriority>.Format(priority) : null,
        t.Billable, t.EstimatedHours, [.. t.Assignees.Select(a => a.MemberId).Order()], [.. t.Tags],
        t.StartDate, t.DueDate, t.EndDate, t.CreatedAt, t.UpdatedAt, t.DeletedAt);
}
