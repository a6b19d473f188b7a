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
using Hoursmith.Api.Infrastructure.Validation;
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
        query.PageAsync(List, Visible(db, caller).AsNoTracking(), caller, TimeEntryView.From, cancellationToken);

    internal static async Task<Results<Created<DataEnvelope<TimeEntryView>>, Ok<DataEnvelope<TimeEntryView>>, ApiErrorResult>> CreateTimeEntry(
        JsonBody<TimeEntryInput> body, Caller caller, HoursmithDb db, WebhookOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = WholeSeconds(time.GetUtcNow().UtcDateTime);
        var entry = new TimeEntry { WorkspaceId = caller.WorkspaceId, MemberId = caller.MemberId, CreatedAt = now, UpdatedAt = now };
        var validator = new FieldValidator();
        await ApplyAsync(body, entry, caller, db, validator, now, creating: true, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        if (entry.IsRunning)
        {
            // Starts for one person take turns (each stops the one before): in the request's transaction,
            // which every POST has (idempotency), no start loses a race to the index below.
            await DatabaseLocks.HoldAsync(db, $"timer-start:{entry.WorkspaceId:N}:{entry.MemberId:N}", cancellationToken);
        }

        db.TimeEntries.Add(entry);
        await outbox.RecordAsync(db, entry.WorkspaceId, WebhookEventTypes.TimeEntryCreated, entry, () => new { timeEntry = TimeEntryView.From(entry) }, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            if (entry.IsRunning && await StopRunningTimerAsync(db, entry, now, cancellationToken) is { } answer)
            {
                db.Entry(entry).State = EntityState.Detached;
                return answer;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Created($"/api/v1/time-entries/{entry.Id}", new DataEnvelope<TimeEntryView>(TimeEntryView.From(entry)));
            }
            catch (DbUpdateException e) when (entry.IsRunning && DatabaseErrors.IsUniqueViolation(e, TimeEntryConfiguration.OneRunningTimerIndex))
            {
                // Another start for this person committed between the read and the save (a start with
                // no transaction to hold the lock in): that timer runs now. The save was rolled back to
                // its savepoint; stop that one too and save again.
                if (attempt == 5)
                {
                    db.Entry(entry).State = EntityState.Detached;
                    return ApiErrors.Conflict("Another timer was started for this person at the same moment; retry the request.");
                }
            }
        }
    }

    /// <summary>
    /// One timer per person: the person's running timer is stopped (and kept as a normal entry) in the
    /// save that starts <paramref name="starting"/>; an answer instead when it is that very timer or locked.
    /// </summary>
    private static async Task<Results<Created<DataEnvelope<TimeEntryView>>, Ok<DataEnvelope<TimeEntryView>>, ApiErrorResult>?> StopRunningTimerAsync(
        HoursmithDb db, TimeEntry starting, DateTime now, CancellationToken cancellationToken)
    {
        if (await RunningOf(db, starting.WorkspaceId, starting.MemberId).FirstOrDefaultAsync(cancellationToken) is not { } current)
        {
            return null;
        }

        // Starting the timer that already runs changes nothing.
        if (current.ProjectId == starting.ProjectId && current.TaskId == starting.TaskId && current.Note == starting.Note)
        {
            return TypedResults.Ok(new DataEnvelope<TimeEntryView>(TimeEntryView.From(current)));
        }

        if (current.InvoiceId is not null)
        {
            return ApiErrors.Conflict("The running timer is on an invoice and is locked; it cannot be stopped by starting another.");
        }

        Stop(current, now);
        return null;
    }

    internal static async Task<Ok<DataEnvelope<TimeEntryView?>>> GetRunningTimeEntry(Caller caller, HoursmithDb db, CancellationToken cancellationToken)
    {
        var running = await RunningOf(db, caller.WorkspaceId, caller.MemberId).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<TimeEntryView?>(running is null ? null : TimeEntryView.From(running)));
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

        // Reassigning is its own permission in the table (Owners and Admins), checked before the fields.
        if (body.Has(sent => sent.UserId) && Guid.TryParse(body.Value.UserId, out var userId) && userId != entry.MemberId
            && caller.ReachOf(new Permission(ApiResource.TimeEntries, ApiAction.Reassign)) is null)
        {
            return ApiErrors.ForbiddenScope("This token's role may not reassign time entries to another person (time_entries:reassign).");
        }

        // Moving an entry needs both ends reachable: a Member moves entries only between projects they are on.
        if (body.Has(sent => sent.ProjectId) && Guid.TryParse(body.Value.ProjectId, out var projectId) && projectId != entry.ProjectId
            && !await ProjectAccess.Visible(db, caller).IgnoreQueryFilters().AnyAsync(p => p.Id == entry.ProjectId, cancellationToken))
        {
            return ApiErrors.ForbiddenScope("This entry's project is not one this token reaches, so the entry cannot be moved from it.");
        }

        var now = WholeSeconds(time.GetUtcNow().UtcDateTime);
        var validator = new FieldValidator();
        await ApplyAsync(body, entry, caller, db, validator, now, creating: false, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        entry.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<TimeEntryView>(TimeEntryView.From(entry)));
    }

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
            Stop(entry, WholeSeconds(time.GetUtcNow().UtcDateTime));
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

    /// <summary>The person's running timer first (the index allows one; the order keeps older data answering).</summary>
    private static IQueryable<TimeEntry> RunningOf(HoursmithDb db, Guid workspaceId, Guid memberId) =>
        db.TimeEntries
            .Where(e => e.WorkspaceId == workspaceId && e.MemberId == memberId && e.StartedAt != null && e.StoppedAt == null)
            .OrderByDescending(e => e.StartedAt);

    private static void Stop(TimeEntry entry, DateTime now)
    {
        entry.StoppedAt = now;
        entry.DurationSeconds = Duration.Between(entry.StartedAt!.Value, now);
        entry.UpdatedAt = now;
    }

    /// <summary>Timestamps are kept to the second, so stoppedAt − startedAt is exactly durationSeconds.</summary>
    private static DateTime WholeSeconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static DateTime? WholeSeconds(DateTime? value) => value is { } v ? WholeSeconds(v) : null;

    /// <summary>
    /// <paramref name="start"/> + <paramref name="seconds"/>, or null with a field failed when it cannot
    /// be computed. A sent startedAt and duration always can (both are bounded); a start or duration
    /// stored before those bounds were enforced may not, and must not overflow into a 500.
    /// </summary>
    private static DateTime? EndOf(DateTime start, long seconds, string durationField, FieldValidator v)
    {
        if (!StoredRange.Contains(start))
        {
            v.Fail("startedAt", "invalid");
            return null;
        }

        if (seconds < 0 || seconds >= (DateTime.MaxValue - start).TotalSeconds)
        {
            v.Fail(durationField, Duration.TooLarge);
            return null;
        }

        return start.AddSeconds(seconds);
    }

    /// <summary>
    /// One path for create and PATCH. On create every field is read; on PATCH only those sent.
    /// The duration/timestamp/timer rules and the task-in-project rule run on the merged result.
    /// </summary>
    private static async Task ApplyAsync(
        JsonBody<TimeEntryInput> body, TimeEntry entry, Caller caller, HoursmithDb db, FieldValidator v, DateTime now, bool creating, CancellationToken cancellationToken)
    {
        var input = body.Value;
        var wasRunning = !creating && entry.IsRunning;

        await ApplyPersonAsync(body, entry, caller, db, v, creating, wasRunning, cancellationToken);

        // Project: one the caller reaches (a Member: one they are on).
        Project? project = null;
        var projectChanged = false;
        if (body.Applies(sent => sent.ProjectId, creating) && v.Uuid("projectId", input.ProjectId, required: true) is { } projectId && (creating || projectId != entry.ProjectId))
        {
            project = await ProjectAccess.Visible(db, caller).FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken);
            if (project is null)
            {
                v.Fail("projectId", "not_found");
            }
            else
            {
                entry.ProjectId = projectId;
                projectChanged = true;
            }
        }

        // Task: optional, and always a task of the entry's (possibly new) project.
        WorkTask? task = null;
        if (body.Applies(sent => sent.TaskId, creating))
        {
            if (FieldValidator.Clean(input.TaskId) is null)
            {
                entry.TaskId = null;
            }
            else if (v.Uuid("taskId", input.TaskId) is { } taskId)
            {
                // Only tasks of projects the caller reaches exist for them.
                task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && ProjectAccess.VisibleIds(db, caller).Contains(t.ProjectId), cancellationToken);
                if (task is null)
                {
                    v.Fail("taskId", "not_found");
                }
                else
                {
                    entry.TaskId = taskId;
                }
            }
        }

        if (entry.TaskId is { } currentTaskId && !v.Errors.ContainsKey("projectId") && !v.Errors.ContainsKey("taskId") && (task is not null || projectChanged))
        {
            task ??= await db.Tasks.IgnoreQueryFilters().FirstOrDefaultAsync(t => t.Id == currentTaskId, cancellationToken);
            if (task is null || task.ProjectId != entry.ProjectId)
            {
                v.Fail("taskId", "not_in_project");
            }
        }

        if (body.Applies(sent => sent.Note, creating))
        {
            entry.Note = v.Text("note", input.Note, 2000);
        }

        ApplyTiming(body, entry, v, now, creating, wasRunning);

        if (body.Applies(sent => sent.EntryDate, creating))
        {
            // On create the day defaults to the start's (UTC) day, for a timer and a logged entry alike.
            var fromStart = creating && entry.StartedAt is not null;
            entry.EntryDate = v.Date("entryDate", input.EntryDate, required: !fromStart)
                ?? (fromStart && entry.StartedAt is { } startedAt ? DateOnly.FromDateTime(startedAt) : entry.EntryDate);
        }

        if (!v.IsValid)
        {
            return;
        }

        // Billable: sent, else (on create, or sent as null) the task's flag, else true; never on a NON_BILLABLE project.
        if (body.Applies(sent => sent.Billable, creating))
        {
            if (input.Billable is { } billable)
            {
                entry.Billable = billable;
            }
            else
            {
                task ??= entry.TaskId is { } tid ? await db.Tasks.IgnoreQueryFilters().FirstOrDefaultAsync(t => t.Id == tid, cancellationToken) : null;
                entry.Billable = task?.Billable ?? true;
            }
        }

        project ??= await db.Projects.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.Id == entry.ProjectId, cancellationToken);
        if (project?.RateType == RateType.NonBillable)
        {
            entry.Billable = false;
        }
    }

    /// <summary>
    /// Who worked. On create, a caller whose write reaches only their own rows is forced to
    /// themself (whatever userId says); others may name any active member. On PATCH a change is a
    /// reassignment, which needs the table's reassign action (the handler answers 403 without it).
    /// </summary>
    private static async Task ApplyPersonAsync(
        JsonBody<TimeEntryInput> body, TimeEntry entry, Caller caller, HoursmithDb db, FieldValidator v, bool creating, bool wasRunning, CancellationToken cancellationToken)
    {
        if (!body.Has(sent => sent.UserId) || (creating && caller.ReachOf(new Permission(ApiResource.TimeEntries, ApiAction.Write)) != Reach.Workspace))
        {
            return;
        }

        if (v.Uuid("userId", body.Value.UserId, required: !creating) is not { } userId || userId == entry.MemberId)
        {
            return;
        }

        if (!creating && caller.ReachOf(new Permission(ApiResource.TimeEntries, ApiAction.Reassign)) != Reach.Workspace)
        {
            v.Fail("userId", "read_only");
        }
        else if (wasRunning)
        {
            // Reassigning a running timer could give its new owner two: stop it first.
            v.Fail("userId", "timer_running");
        }
        else if (!await db.Members.AnyAsync(m => m.Id == userId && m.WorkspaceId == caller.WorkspaceId && m.RemovedAt == null, cancellationToken))
        {
            v.Fail("userId", "not_found");
        }
        else
        {
            entry.MemberId = userId;
        }
    }

    /// <summary>
    /// Duration, startedAt, stoppedAt and the timer, on the merged result:
    /// a given duration (durationSeconds wins over duration) is kept, and with a startedAt it sets
    /// stoppedAt = startedAt + duration; without a duration, startedAt + stoppedAt give it; on create,
    /// a startedAt with no duration and no stoppedAt starts a timer; neither a duration nor startedAt is refused.
    /// </summary>
    private static void ApplyTiming(JsonBody<TimeEntryInput> body, TimeEntry entry, FieldValidator v, DateTime now, bool creating, bool wasRunning)
    {
        var input = body.Value;

        string? durationField = null;
        long? duration = null;
        if (body.Applies(sent => sent.DurationSeconds, creating) && FieldValidator.Clean(input.DurationSeconds) is { } secondsText)
        {
            durationField = "durationSeconds";
            (duration, var error) = Duration.CheckSeconds(secondsText);
            if (error is not null)
            {
                v.Fail(durationField, error);
            }
        }
        else if (body.Applies(sent => sent.Duration, creating) && FieldValidator.Clean(input.Duration) is { } durationText)
        {
            durationField = "duration";
            (duration, var error) = Duration.Parse(durationText);
            if (error is not null)
            {
                v.Fail(durationField, error);
            }
        }

        if (body.Applies(sent => sent.StartedAt, creating))
        {
            entry.StartedAt = WholeSeconds(v.Timestamp("startedAt", input.StartedAt));
        }

        var stoppedAtSent = body.Has(sent => sent.StoppedAt);
        if (body.Applies(sent => sent.StoppedAt, creating))
        {
            entry.StoppedAt = WholeSeconds(v.Timestamp("stoppedAt", input.StoppedAt));
        }

        if (creating && durationField is null && entry.StartedAt is null && entry.StoppedAt is null)
        {
            // "Creating via the API requires a duration": only a startedAt (alone) starts a timer, so the
            // reference's sample {projectId, entryDate} is refused rather than silently stopping one.
            v.Fail("durationSeconds", "required");
            return;
        }

        if (entry.StoppedAt is not null && entry.StartedAt is null)
        {
            v.Fail("startedAt", "required");
            return;
        }

        if (entry.StartedAt is { } start && entry.StoppedAt is { } stop && stop <= start)
        {
            v.Fail("stoppedAt", "before_startedAt");
            return;
        }

        var running = entry.StartedAt is not null && entry.StoppedAt is null;
        if (durationField is not null)
        {
            if (running && !creating && (wasRunning || stoppedAtSent))
            {
                // A running entry has no duration yet: stop it (POST …/stop or PATCH stoppedAt) first.
                v.Fail(durationField, "timer_running");
                return;
            }

            if (duration is { } seconds)
            {
                entry.DurationSeconds = seconds;
                if (entry.StartedAt is { } from && !(stoppedAtSent && entry.StoppedAt is not null))
                {
                    entry.StoppedAt = EndOf(from, seconds, durationField, v);
                }
            }

            return;
        }

        if (entry.StartedAt is { } begin && entry.StoppedAt is { } end)
        {
            if (creating || body.Has(sent => sent.StartedAt) || stoppedAtSent)
            {
                var seconds = Duration.Between(begin, end);
                if (seconds > Duration.MaxSeconds && !wasRunning)
                {
                    v.Fail("stoppedAt", Duration.TooLarge);
                }

                entry.DurationSeconds = seconds;
            }

            return;
        }

        if (running)
        {
            if (!creating && !wasRunning)
            {
                if (stoppedAtSent)
                {
                    // A stopped entry is not restarted by clearing stoppedAt: start a new timer instead.
                    v.Fail("stoppedAt", "required");
                    return;
                }

                // A startedAt on a logged entry: it ends after its duration.
                entry.StoppedAt = EndOf(entry.StartedAt!.Value, entry.DurationSeconds ?? 0, "durationSeconds", v);
                return;
            }

            if (entry.StartedAt > now)
            {
                v.Fail("startedAt", "in_the_future");
            }

            entry.DurationSeconds = null;
            return;
        }

        // No timestamps: the entry needs a duration.
        if (entry.DurationSeconds is null)
        {
            v.Fail("durationSeconds", "required");
        }
    }
}
