using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Configurations;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Projects;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.TimeEntries;

/// <summary>
/// Time entries and the timer. Members reach only their own entries; Owners, Admins and Managers
/// everyone's; only Owners and Admins reassign. An invoiced entry is locked for everyone.
/// </summary>
public static class TimeEntryEndpoints
{
    private const string LockedMessage = "Invoiced time entries are locked.";

    /// <summary>How often a timer start that meets another one for the same person at the index tries again.</summary>
    private const int TimerStartAttempts = 5;

    internal static readonly ListSpec<TimeEntry> List = new ListSpec<TimeEntry>("time-entries", e => e.CreatedAt, e => e.UpdatedAt)
        .SortBy("durationSeconds", e => e.DurationSeconds)
        .SortBy("entryDate", e => e.EntryDate)
        .Search("note", e => e.Note)
        .IdFilter("projectId", e => e.ProjectId)
        .IdFilter("taskId", e => e.TaskId)
        // A Member's list is already narrowed to their own entries, so userId can only narrow further.
        .IdFilter("userId", e => e.MemberId)
        .BoolFilter("billable", e => e.Billable)
        .CustomFilter("running", "boolean", "Only running timers (true) or only stopped entries (false).", text => ListValues.ParseBool(text) switch
        {
            true => e => e.StartedAt != null && e.StoppedAt == null,
            false => e => e.StartedAt == null || e.StoppedAt != null,
            null => null,
        })
        .DateRange("entryDate", e => e.EntryDate)
        .NumberRange("durationSeconds", e => e.DurationSeconds);

    public static IEndpointRouteBuilder MapTimeEntryEndpoints(this IEndpointRouteBuilder api)
    {
        var entries = api.MapGroup("/time-entries").WithTags("Time entries");
        entries.MapGet("", ListTimeEntries).RequirePermission(ApiResource.TimeEntries, ApiAction.Read).WithList(List).WithName("ListTimeEntries")
            .WithSummary("List time entries")
            .WithDescription("Lists the time entries this token reaches, newest first; ?running=true for running timers.");
        entries.MapPost("", CreateTimeEntry).RequirePermission(ApiResource.TimeEntries, ApiAction.Write).WithName("CreateTimeEntry")
            .WithSummary("Create a time entry")
            .WithDescription("Logs time (durationSeconds or duration), or starts a timer when startedAt is sent alone; starting a timer stops the person's running one. Neither a duration nor startedAt is 422.")
            .ProducesConflict("another timer was started for this person at the same moment, or their running timer is on an invoice");
        entries.MapGet("/running", GetRunningTimeEntry).RequirePermission(ApiResource.TimeEntries, ApiAction.Read).WithName("GetRunningTimeEntry")
            .WithSummary("Get the running timer")
            .WithDescription("The caller's own running timer, or data: null when none runs.");
        entries.MapGet("/{id:guid}", GetTimeEntry).RequirePermission(ApiResource.TimeEntries, ApiAction.Read).WithName("GetTimeEntry").WithSummary("Get a time entry").WithDescription("One time entry.");
        entries.MapPatch("/{id:guid}", UpdateTimeEntry).RequirePermission(ApiResource.TimeEntries, ApiAction.Write).WithName("UpdateTimeEntry")
            .WithSummary("Update a time entry")
            .WithDescription("Updates the fields sent; durationSeconds wins over duration. 409 when invoiced.")
            .ProducesConflict("the entry is on an invoice");
        entries.MapDelete("/{id:guid}", DeleteTimeEntry).RequirePermission(ApiResource.TimeEntries, ApiAction.Write).WithName("DeleteTimeEntry")
            .WithSummary("Delete a time entry")
            .WithDescription("Soft-deletes a time entry. 409 when invoiced.")
            .ProducesConflict("the entry is on an invoice");
        entries.MapPost("/{id:guid}/stop", StopTimeEntry).RequirePermission(ApiResource.TimeEntries, ApiAction.Write).WithName("StopTimeEntry")
            .WithSummary("Stop a timer")
            .WithDescription("Stops a running timer (stoppedAt = now, durationSeconds = whole seconds elapsed); an entry that is not running is returned unchanged.")
            .ProducesConflict("the entry is on an invoice");
        return api;
    }

    internal static Task<Results<Ok<ListEnvelope<TimeEntryView>>, ApiErrorResult>> ListTimeEntries(
        ListQuery query, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        query.PageAsync(List, Visible(db, caller).AsNoTracking(), caller, TimeEntryView.From, cancellationToken, VisibleScope(caller));

    internal static async Task<Results<Created<DataEnvelope<TimeEntryView>>, Ok<DataEnvelope<TimeEntryView>>, ApiErrorResult>> CreateTimeEntry(
        JsonBody<TimeEntryInput> body, Caller caller, HoursmithDb db, WebhookOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = TimeEntryRules.WholeSeconds(time.GetUtcNow().UtcDateTime);
        var facts = await TimeEntryFacts.LoadAsync(db, caller, body, current: null, cancellationToken);
        var outcome = TimeEntryRules.Create(body, TimeEntryWriter.Of(caller), facts, now);
        if (outcome.Entry is not { } created)
        {
            return ApiErrors.Validation(outcome.Errors);
        }

        var entry = new TimeEntry { WorkspaceId = caller.WorkspaceId, CreatedAt = now, UpdatedAt = now };
        created.CopyTo(entry);
        if (entry.IsRunning)
        {
            return await StartTimerAsync(db, outbox, entry, now, cancellationToken);
        }

        db.TimeEntries.Add(entry);
        await RecordCreatedAsync(outbox, db, entry, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return CreatedAnswer(entry);
    }

    private static Task RecordCreatedAsync(WebhookOutbox outbox, HoursmithDb db, TimeEntry entry, CancellationToken cancellationToken) =>
        outbox.RecordAsync(db, entry.WorkspaceId, WebhookEventTypes.TimeEntryCreated, entry, () => new { timeEntry = TimeEntryView.From(entry) }, cancellationToken);

    /// <summary>
    /// Saves <paramref name="timer"/> under the one-timer rule: the person's running timer is stopped (and
    /// kept as a normal entry) in the same save, unless it is this very timer (answered as it is) or locked (409).
    /// </summary>
    private static async Task<Results<Created<DataEnvelope<TimeEntryView>>, Ok<DataEnvelope<TimeEntryView>>, ApiErrorResult>> StartTimerAsync(
        HoursmithDb db, WebhookOutbox outbox, TimeEntry timer, DateTime now, CancellationToken cancellationToken)
    {
        // Starts for one person take turns (each stops the one before): in the request's transaction,
        // which every POST has (idempotency), no start loses a race to the index below.
        await DatabaseLocks.HoldAsync(db, $"timer-start:{timer.WorkspaceId:N}:{timer.MemberId:N}", cancellationToken);
        db.TimeEntries.Add(timer);
        for (var attempt = 1; ; attempt++)
        {
            if (await RunningOf(db, timer.WorkspaceId, timer.MemberId).FirstOrDefaultAsync(cancellationToken) is { } running)
            {
                switch (TimeEntryRules.WhenStarting(TimeEntryState.Of(timer), TimeEntryState.Of(running)))
                {
                    case TimerStart.AlreadyRunning:
                        db.Entry(timer).State = EntityState.Detached;
                        return TypedResults.Ok(new DataEnvelope<TimeEntryView>(TimeEntryView.From(running)));
                    case TimerStart.RunningIsLocked:
                        db.Entry(timer).State = EntityState.Detached;
                        return ApiErrors.Conflict("The running timer is on an invoice and is locked; it cannot be stopped by starting another.");
                    case TimerStart.StopsRunning:
                        Stop(running, now);
                        break;
                }
            }

            if (attempt == 1)
            {
                // Once: a retried save keeps the event it tracks. Only a timer that is really created raises it.
                await RecordCreatedAsync(outbox, db, timer, cancellationToken);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return CreatedAnswer(timer);
            }
            catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, TimeEntryConfiguration.OneRunningTimerIndex))
            {
                // Another start for this person committed between the read and the save (a start with
                // no transaction to hold the lock in): that timer runs now. The save was rolled back to
                // its savepoint; stop that one too and save again.
                if (attempt == TimerStartAttempts)
                {
                    db.Entry(timer).State = EntityState.Detached;
                    return ApiErrors.Conflict("Another timer was started for this person at the same moment; retry the request.");
                }

                // The stop made in this attempt was rolled back with it: forget it, so the next read sees the
                // database (a tracked copy would shadow a row that still runs there with its unsaved stop).
                foreach (var stale in db.ChangeTracker.Entries<TimeEntry>().Where(e => e.Entity != timer).ToList())
                {
                    stale.State = EntityState.Detached;
                }
            }
        }
    }

    private static Created<DataEnvelope<TimeEntryView>> CreatedAnswer(TimeEntry entry) =>
        TypedResults.Created($"/api/v1/time-entries/{entry.Id}", new DataEnvelope<TimeEntryView>(TimeEntryView.From(entry)));

    internal static async Task<Ok<RunningTimeEntryEnvelope>> GetRunningTimeEntry(Caller caller, HoursmithDb db, CancellationToken cancellationToken)
    {
        var running = await RunningOf(db, caller.WorkspaceId, caller.MemberId).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new RunningTimeEntryEnvelope(running is null ? null : TimeEntryView.From(running)));
    }

    internal static async Task<Results<Ok<DataEnvelope<TimeEntryView>>, ApiErrorResult>> GetTimeEntry(
        Guid id, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        await Visible(db, caller).AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken) is { } entry
            ? TypedResults.Ok(new DataEnvelope<TimeEntryView>(TimeEntryView.From(entry)))
            : ApiErrors.NotFound("Time entry not found.");

    internal static async Task<Results<Ok<DataEnvelope<TimeEntryView>>, ApiErrorResult>> UpdateTimeEntry(
        Guid id, JsonBody<TimeEntryInput> body, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var entry = await Visible(db, caller, ApiAction.Write).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entry is null)
        {
            return ApiErrors.NotFound("Time entry not found.");
        }

        if (entry.InvoiceId is not null)
        {
            return ApiErrors.Conflict(LockedMessage);
        }

        if (ReassignsWithoutPermission(body, entry, caller))
        {
            return ApiErrors.ForbiddenScope("This token's role may not reassign time entries to another person (time_entries:reassign).");
        }

        if (await MovesFromUnreachableProjectAsync(body, entry, caller, db, cancellationToken))
        {
            return ApiErrors.ForbiddenScope("This entry's project is not one this token reaches, so the entry cannot be moved from it.");
        }

        var now = TimeEntryRules.WholeSeconds(time.GetUtcNow().UtcDateTime);
        var facts = await TimeEntryFacts.LoadAsync(db, caller, body, entry, cancellationToken);
        var outcome = TimeEntryRules.Update(TimeEntryState.Of(entry), body, TimeEntryWriter.Of(caller), facts, now);
        if (outcome.Entry is not { } updated)
        {
            return ApiErrors.Validation(outcome.Errors);
        }

        updated.CopyTo(entry);
        entry.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<TimeEntryView>(TimeEntryView.From(entry)));
    }

    /// <summary>Reassigning is its own permission in the table (Owners and Admins), checked before the fields.</summary>
    private static bool ReassignsWithoutPermission(JsonBody<TimeEntryInput> body, TimeEntry entry, Caller caller) =>
        body.Has(sent => sent.UserId) && Guid.TryParse(body.Value.UserId, out var userId) && userId != entry.MemberId
        && caller.ReachOf(new Permission(ApiResource.TimeEntries, ApiAction.Reassign)) is null;

    /// <summary>Moving an entry needs both ends reachable: a Member moves entries only between projects they are on.</summary>
    private static async Task<bool> MovesFromUnreachableProjectAsync(
        JsonBody<TimeEntryInput> body, TimeEntry entry, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        body.Has(sent => sent.ProjectId) && Guid.TryParse(body.Value.ProjectId, out var projectId) && projectId != entry.ProjectId
        && !await ProjectAccess.Visible(db, caller).IgnoreQueryFilters().AnyAsync(p => p.Id == entry.ProjectId, cancellationToken);

    internal static async Task<Results<NoContent, ApiErrorResult>> DeleteTimeEntry(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var entry = await Visible(db, caller, ApiAction.Write).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entry is null)
        {
            return ApiErrors.NotFound("Time entry not found.");
        }

        if (entry.InvoiceId is not null)
        {
            return ApiErrors.Conflict(LockedMessage);
        }

        entry.DeletedAt = entry.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<DataEnvelope<TimeEntryView>>, ApiErrorResult>> StopTimeEntry(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var entry = await Visible(db, caller, ApiAction.Write).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entry is null)
        {
            return ApiErrors.NotFound("Time entry not found.");
        }

        if (entry.InvoiceId is not null)
        {
            return ApiErrors.Conflict(LockedMessage);
        }

        // Idempotent: stopping an entry that is not running answers it unchanged.
        if (entry.IsRunning)
        {
            Stop(entry, TimeEntryRules.WholeSeconds(time.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(new DataEnvelope<TimeEntryView>(TimeEntryView.From(entry)));
    }

    /// <summary>The entries a caller reaches, per the permission table (Members: their own).</summary>
    internal static IQueryable<TimeEntry> Visible(HoursmithDb db, Caller caller, ApiAction action = ApiAction.Read)
    {
        var inWorkspace = db.TimeEntries.Where(e => e.WorkspaceId == caller.WorkspaceId);
        return caller.ReachOf(new Permission(ApiResource.TimeEntries, action)) switch
        {
            Reach.Workspace => inWorkspace,
            Reach.Own => inWorkspace.Where(e => e.MemberId == caller.MemberId),
            _ => inWorkspace.Where(_ => false),
        };
    }

    /// <summary><see cref="Visible"/> (reading) as column equalities, for the list's plain pages; null when it reaches nothing.</summary>
    private static ListScope? VisibleScope(Caller caller) => caller.ReachOf(new Permission(ApiResource.TimeEntries, ApiAction.Read)) switch
    {
        Reach.Workspace => new ListScope((nameof(TimeEntry.WorkspaceId), caller.WorkspaceId)),
        Reach.Own => new ListScope((nameof(TimeEntry.WorkspaceId), caller.WorkspaceId), (nameof(TimeEntry.MemberId), caller.MemberId)),
        _ => null,
    };

    /// <summary>The person's running timer first (the index allows one; the order keeps older data answering).</summary>
    private static IQueryable<TimeEntry> RunningOf(HoursmithDb db, Guid workspaceId, Guid memberId) =>
        db.TimeEntries
            .Where(e => e.WorkspaceId == workspaceId && e.MemberId == memberId && e.StartedAt != null && e.StoppedAt == null)
            .OrderByDescending(e => e.StartedAt);

    private static void Stop(TimeEntry entry, DateTime now)
    {
        TimeEntryRules.Stop(TimeEntryState.Of(entry), now).CopyTo(entry);
        entry.UpdatedAt = now;
    }
}
