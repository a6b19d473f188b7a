using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Projects;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Validation;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.TimeEntries;

/// <summary>What the time-entry rules need to know of a project.</summary>
public sealed record ProjectFacts(Guid Id, RateType RateType);

/// <summary>What the time-entry rules need to know of a task.</summary>
public sealed record TaskFacts(Guid Id, Guid ProjectId, bool Billable);

/// <summary>
/// Who is writing, as far as the time-entry rules care: their member id (a new entry's person) and
/// what the permission table lets their role do.
/// </summary>
/// <param name="LogsForAnyone">Their write reaches the workspace (Owners, Admins, Managers): a new entry may name another person.</param>
/// <param name="Reassigns">They may move an entry to another person (time_entries:reassign: Owners and Admins).</param>
public sealed record TimeEntryWriter(Guid MemberId, bool LogsForAnyone, bool Reassigns)
{
    public static TimeEntryWriter Of(Caller caller) => new(
        caller.MemberId,
        caller.ReachOf(new Permission(ApiResource.TimeEntries, ApiAction.Write)) == Reach.Workspace,
        caller.ReachOf(new Permission(ApiResource.TimeEntries, ApiAction.Reassign)) == Reach.Workspace);
}

/// <summary>
/// The rows a time-entry request names or its entry stands on, read before the rules run, so the
/// rules need no database. A named row is null when it does not exist for the caller.
/// </summary>
/// <param name="NamedProject">The project <c>projectId</c> names, when it is a new one for the entry and the caller reaches it.</param>
/// <param name="NamedTask">The task <c>taskId</c> names, when it is in a project the caller reaches.</param>
/// <param name="NamedPerson"><c>userId</c>, when it names another active member of the workspace.</param>
/// <param name="CurrentProject">The stored entry's project as it is (deleted or out of reach included): it decides billable.</param>
/// <param name="CurrentTask">The stored entry's task as it is: its project and billable flag still count when it is not sent.</param>
public sealed record TimeEntryFacts(
    ProjectFacts? NamedProject = null,
    TaskFacts? NamedTask = null,
    Guid? NamedPerson = null,
    ProjectFacts? CurrentProject = null,
    TaskFacts? CurrentTask = null)
{
    /// <summary>Reads the facts for <paramref name="body"/> applied to <paramref name="current"/> (null when creating).</summary>
    public static async Task<TimeEntryFacts> LoadAsync(
        HoursmithDb db, Caller caller, JsonBody<TimeEntryInput> body, TimeEntry? current, CancellationToken cancellationToken)
    {
        var creating = current is null;
        var input = body.Value;
        var projectId = body.Applies(sent => sent.ProjectId, creating) ? IdOf(input.ProjectId) : null;
        var taskId = body.Applies(sent => sent.TaskId, creating) ? IdOf(input.TaskId) : null;
        var personId = body.Has(sent => sent.UserId) ? IdOf(input.UserId) : null;

        return new TimeEntryFacts(
            NamedProject: projectId is { } newProject && newProject != current?.ProjectId
                ? await ProjectAccess.Visible(db, caller).Where(p => p.Id == newProject).Select(p => new ProjectFacts(p.Id, p.RateType)).FirstOrDefaultAsync(cancellationToken)
                : null,
            // Only tasks of projects the caller reaches exist for them.
            NamedTask: taskId is { } newTask
                ? await db.Tasks.Where(t => t.Id == newTask && ProjectAccess.VisibleIds(db, caller).Contains(t.ProjectId))
                    .Select(t => new TaskFacts(t.Id, t.ProjectId, t.Billable)).FirstOrDefaultAsync(cancellationToken)
                : null,
            NamedPerson: personId is { } person && person != (current?.MemberId ?? caller.MemberId)
                && await db.Members.AnyAsync(m => m.Id == person && m.WorkspaceId == caller.WorkspaceId && m.RemovedAt == null, cancellationToken)
                ? person
                : null,
            CurrentProject: current is not null
                ? await db.Projects.IgnoreQueryFilters().Where(p => p.Id == current.ProjectId).Select(p => new ProjectFacts(p.Id, p.RateType)).FirstOrDefaultAsync(cancellationToken)
                : null,
            CurrentTask: current?.TaskId is { } storedTask
                ? await db.Tasks.IgnoreQueryFilters().Where(t => t.Id == storedTask).Select(t => new TaskFacts(t.Id, t.ProjectId, t.Billable)).FirstOrDefaultAsync(cancellationToken)
                : null);
    }

    /// <summary>An id as the rules will read it (blank is none); anything else names no row.</summary>
    private static Guid? IdOf(string? value) => Guid.TryParse(FieldValidator.Clean(value), out var id) ? id : null;
}
