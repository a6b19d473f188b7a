using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Projects;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Tasks;

/// <summary>
/// Tasks of projects. Members read the tasks of projects they are on and, with write reach
/// <see cref="Reach.Assigned"/>, change only the status of tasks assigned to them.
/// </summary>
public static class TaskEndpoints
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;
    public const int MaxAssignees = 100;

    private const string AssignedOnlyRule = "A Member token may only change the status of tasks assigned to its member.";

    internal static readonly ListSpec<WorkTask> List = new ListSpec<WorkTask>("tasks", t => t.CreatedAt, t => t.UpdatedAt)
        .SortBy("dueDate", t => t.DueDate)
        .SortBy("endDate", t => t.EndDate)
        .SortBy("name", t => t.Name)
        .SortByRank("priority", t => t.Priority)
        .SortBy("startDate", t => t.StartDate)
        .SortByRank("status", t => t.Status)
        .Search("name and description", t => t.Name, t => t.Description)
        .IdFilter("projectId", t => t.ProjectId)
        .CustomFilter("assigneeId", "uuid", "Only tasks assigned to this member.",
            text => Guid.TryParse(text, out var memberId) ? t => t.Assignees.Any(a => a.MemberId == memberId) : null)
        .EnumFilter("status", t => t.Status)
        .EnumFilter("priority", t => t.Priority)
        .BoolFilter("billable", t => t.Billable)
        .DateRange("startDate", t => t.StartDate)
        .DateRange("dueDate", t => t.DueDate)
        .DateRange("endDate", t => t.EndDate);

    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder api)
    {
        var tasks = api.MapGroup("/tasks").WithTags("Tasks");
        tasks.MapGet("", ListTasks).RequirePermission(ApiResource.Tasks, ApiAction.Read).WithList(List).WithName("ListTasks").WithSummary("List tasks").WithDescription("Lists the tasks this token reaches, newest first.");
        tasks.MapPost("", CreateTask).RequirePermission(ApiResource.Tasks, ApiAction.Write).WithName("CreateTask").WithSummary("Create a task").WithDescription("Creates a task; its assignees are added to the project.");
        tasks.MapGet("/{id:guid}", GetTask).RequirePermission(ApiResource.Tasks, ApiAction.Read).WithName("GetTask").WithSummary("Get a task").WithDescription("One task.");
        tasks.MapPatch("/{id:guid}", UpdateTask).RequirePermission(ApiResource.Tasks, ApiAction.Write).WithName("UpdateTask")
            .WithSummary("Update a task")
            .WithDescription("Updates the fields sent (arrays are replaced whole); Members may change only the status of tasks assigned to them.");
        tasks.MapDelete("/{id:guid}", DeleteTask).RequirePermission(ApiResource.Tasks, ApiAction.Write).WithName("DeleteTask").WithSummary("Delete a task").WithDescription("Soft-deletes a task.");
        tasks.MapPost("/{id:guid}/archive", ArchiveTask).RequirePermission(ApiResource.Tasks, ApiAction.Write).WithName("ArchiveTask")
            .WithSummary("Archive a task")
            .WithDescription("Soft-deletes a task, exactly as DELETE does (the MCP tools' name for it).");
        return api;
    }

    internal static Task<Results<Ok<ListEnvelope<TaskView>>, ApiErrorResult>> ListTasks(
        ListQuery query, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        query.PageAsync(List, TaskAccess.Visible(db, caller).Include(t => t.Assignees).AsNoTracking(), caller, TaskView.From, cancellationToken);

    internal static async Task<Results<Created<DataEnvelope<TaskView>>, ApiErrorResult>> CreateTask(
        JsonBody<TaskInput> body, Caller caller, HoursmithDb db, WebhookOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        if (WriteReach(caller) != Reach.Workspace)
        {
            return ApiErrors.ForbiddenScope($"{AssignedOnlyRule} Creating tasks needs an Owner, Admin or Manager.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var task = new WorkTask { WorkspaceId = caller.WorkspaceId, Name = "", CreatedAt = now, UpdatedAt = now };
        var validator = new FieldValidator();
        await ApplyAsync(body, task, caller, db, validator, creating: true, now, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        db.Tasks.Add(task);
        await outbox.RecordAsync(db, caller.WorkspaceId, WebhookEventTypes.TaskCreated, task, () => new { task = TaskView.From(task) }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/tasks/{task.Id}", new DataEnvelope<TaskView>(TaskView.From(task)));
    }

    internal static async Task<Results<Ok<DataEnvelope<TaskView>>, ApiErrorResult>> GetTask(
        Guid id, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        await TaskAccess.Visible(db, caller).Include(t => t.Assignees).AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken) is { } task
            ? TypedResults.Ok(new DataEnvelope<TaskView>(TaskView.From(task)))
            : ApiErrors.NotFound("Task not found.");

    internal static async Task<Results<Ok<DataEnvelope<TaskView>>, ApiErrorResult>> UpdateTask(
        Guid id, JsonBody<TaskInput> body, Caller caller, HoursmithDb db, WebhookOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        // Visibility first: a task the caller cannot read is 404 whatever they may write.
        var task = await TaskAccess.Visible(db, caller).Include(t => t.Assignees).FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task is null)
        {
            return ApiErrors.NotFound("Task not found.");
        }

        switch (WriteReach(caller))
        {
            case Reach.Workspace:
                break;
            case Reach.Assigned when task.Assignees.All(a => a.MemberId != caller.MemberId):
                return ApiErrors.ForbiddenScope($"{AssignedOnlyRule} This task is not assigned to it.");
            // The one field an assignee may change is the status; name any other field sent.
            case Reach.Assigned when body.SentFields.FirstOrDefault(field => !field.Equals(nameof(TaskInput.Status), StringComparison.OrdinalIgnoreCase)) is { } field:
                return ApiErrors.ForbiddenScope($"{AssignedOnlyRule} It may not change '{field}'.");
            case Reach.Assigned:
                break;
            default:
                return ApiErrors.ForbiddenScope("This token's role may not change tasks.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var wasDone = task.Status == WorkTaskStatus.Done;
        var validator = new FieldValidator();
        await ApplyAsync(body, task, caller, db, validator, creating: false, now, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        task.UpdatedAt = now;
        if (!wasDone && task.Status == WorkTaskStatus.Done)
        {
            await outbox.RecordAsync(db, caller.WorkspaceId, WebhookEventTypes.TaskCompleted, task, () => new { task = TaskView.From(task) }, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<TaskView>(TaskView.From(task)));
    }

    internal static Task<Results<NoContent, ApiErrorResult>> DeleteTask(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken) =>
        SoftDeleteAsync(id, caller, db, time, cancellationToken);

    /// <summary>The MCP tools' "archive task" is a soft delete; it answers as DELETE does.</summary>
    internal static Task<Results<NoContent, ApiErrorResult>> ArchiveTask(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken) =>
        SoftDeleteAsync(id, caller, db, time, cancellationToken);

    private static async Task<Results<NoContent, ApiErrorResult>> SoftDeleteAsync(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var task = await TaskAccess.Visible(db, caller).FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task is null)
        {
            return ApiErrors.NotFound("Task not found.");
        }

        if (WriteReach(caller) != Reach.Workspace)
        {
            return ApiErrors.ForbiddenScope($"{AssignedOnlyRule} Deleting tasks needs an Owner, Admin or Manager.");
        }

        task.DeletedAt = task.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static Reach? WriteReach(Caller caller) => caller.ReachOf(new Permission(ApiResource.Tasks, ApiAction.Write));

    /// <summary>
    /// One path for create and PATCH; date order is checked on the merged result. Assignees (and
    /// their project membership) are staged only once everything is valid, for the one SaveChanges.
    /// </summary>
    private static async Task ApplyAsync(
        JsonBody<TaskInput> body, WorkTask task, Caller caller, HoursmithDb db, FieldValidator v, bool creating, DateTime now, CancellationToken cancellationToken)
    {
        var input = body.Value;

        if (creating)
        {
            if (v.Uuid("projectId", input.ProjectId, required: true) is { } projectId)
            {
                if (await ProjectAccess.Visible(db, caller).AnyAsync(p => p.Id == projectId, cancellationToken))
                {
                    task.ProjectId = projectId;
                }
                else
                {
                    v.Fail("projectId", "not_found");
                }
            }
        }
        else if (body.Has(sent => sent.ProjectId) && !(Guid.TryParse(FieldValidator.Clean(input.ProjectId), out var same) && same == task.ProjectId))
        {
            // Time entries hang off the task's project, so a task never moves.
            v.Fail("projectId", "read_only");
        }

        if (body.Applies(sent => sent.Name, creating)) task.Name = v.Text("name", input.Name, 200, required: true) ?? "";
        if (body.Applies(sent => sent.Description, creating)) task.Description = v.Text("description", input.Description, 5000);
        if (body.Has(sent => sent.Status)) task.Status = v.Enum<WorkTaskStatus>("status", input.Status, required: true) ?? task.Status;
        if (body.Applies(sent => sent.Priority, creating)) task.Priority = v.Enum<TaskPriority>("priority", input.Priority);
        if (body.Applies(sent => sent.Billable, creating)) task.Billable = input.Billable ?? true;
        if (body.Applies(sent => sent.EstimatedHours, creating)) task.EstimatedHours = v.DecimalNumber("estimatedHours", input.EstimatedHours, maxDecimals: 2);
        if (body.Applies(sent => sent.Tags, creating)) task.Tags = CleanTags(v, input.Tags);
        var assignees = body.Applies(sent => sent.AssigneeIds, creating) ? await AssigneesAsync(v, input.AssigneeIds, caller, db, cancellationToken) : null;
        if (body.Applies(sent => sent.StartDate, creating)) task.StartDate = v.Date("startDate", input.StartDate);
        if (body.Applies(sent => sent.DueDate, creating)) task.DueDate = v.Date("dueDate", input.DueDate);
        if (body.Applies(sent => sent.EndDate, creating)) task.EndDate = v.Date("endDate", input.EndDate);

        v.DateOrder("startDate", task.StartDate, "dueDate", task.DueDate);
        v.DateOrder("startDate", task.StartDate, "endDate", task.EndDate);

        if (assignees is not null && v.IsValid)
        {
            // PATCH replaces the whole list.
            foreach (var gone in task.Assignees.Where(a => !assignees.Contains(a.MemberId)).ToList())
            {
                task.Assignees.Remove(gone);
                db.TaskAssignees.Remove(gone);
            }

            foreach (var memberId in assignees.Where(m => task.Assignees.All(a => a.MemberId != m)))
            {
                task.Assignees.Add(new TaskAssignee { TaskId = task.Id, MemberId = memberId });
            }

            await ProjectEndpoints.AddMembersAsync(db, task.ProjectId, assignees, now, cancellationToken);
        }
    }

    /// <summary>Trimmed, blanks dropped, duplicates (any letter case) dropped keeping the first spelling.</summary>
    private static List<string> CleanTags(FieldValidator v, IReadOnlyList<string?>? tags)
    {
        var kept = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in (tags ?? []).Select(FieldValidator.Clean).OfType<string>())
        {
            if (tag.Length > MaxTagLength)
            {
                v.Fail("tags", "too_long");
            }
            else if (FieldValidator.HasControlCharacters(tag))
            {
                v.Fail("tags", "invalid");
            }
            else if (seen.Add(tag))
            {
                kept.Add(tag);
            }
        }

        if (kept.Count > MaxTags)
        {
            v.Fail("tags", "too_many");
        }

        return kept;
    }

    /// <summary>Distinct member ids, each an active member of the caller's workspace.</summary>
    private static async Task<List<Guid>?> AssigneesAsync(FieldValidator v, IReadOnlyList<string?>? raw, Caller caller, HoursmithDb db, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        foreach (var text in raw ?? [])
        {
            if (!Guid.TryParse(FieldValidator.Clean(text), out var id))
            {
                v.Fail("assigneeIds", "not_a_uuid");
                return null;
            }

            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        if (ids.Count > MaxAssignees)
        {
            v.Fail("assigneeIds", "too_many");
            return null;
        }

        if (ids.Count > 0
            && await db.Members.CountAsync(m => ids.Contains(m.Id) && m.WorkspaceId == caller.WorkspaceId && m.RemovedAt == null, cancellationToken) != ids.Count)
        {
            v.Fail("assigneeIds", "not_found");
            return null;
        }

        return ids;
    }
}
