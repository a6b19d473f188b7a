using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Validation;

namespace Hoursmith.Api.Features.TimeEntries;

/// <summary>What the rules made of a request: the entry to save, or the refused fields (never both).</summary>
public sealed record TimeEntryOutcome(TimeEntryState? Entry, IReadOnlyDictionary<string, string> Errors)
{
    public static TimeEntryOutcome Accepted(TimeEntryState entry) => new(entry, new Dictionary<string, string>());

    public static TimeEntryOutcome Refused(IReadOnlyDictionary<string, string> errors) => new(null, errors);
}

/// <summary>What starting a timer does to the person's timer that is already running.</summary>
public enum TimerStart
{
    /// <summary>The running timer is stopped and kept as a normal entry; the new one starts.</summary>
    StopsRunning,

    /// <summary>It is the same timer (project, task, note): nothing changes, the running one is the answer.</summary>
    AlreadyRunning,

    /// <summary>The running timer is on an invoice, so it cannot be stopped: 409.</summary>
    RunningIsLocked,
}

/// <summary>
/// The time-entry rules (resources.md, "Time entries"), pure: the stored entry (none when creating),
/// the body, the rows it names (<see cref="TimeEntryFacts"/>) and the time → the entry to save or the
/// refused fields, with the same codes a handler answers in its 422. No database, request or clock:
/// the handlers load, apply these and save. Create and PATCH share one path: on create every field
/// is read (an absent one as null), on PATCH only those sent; rules that span fields run on the merged result.
/// </summary>
public static class TimeEntryRules
{
    public static TimeEntryOutcome Create(JsonBody<TimeEntryInput> body, TimeEntryWriter writer, TimeEntryFacts facts, DateTime now) =>
        Apply(NewEntry(writer.MemberId), body, creating: true, writer, facts, now);

    public static TimeEntryOutcome Update(TimeEntryState current, JsonBody<TimeEntryInput> body, TimeEntryWriter writer, TimeEntryFacts facts, DateTime now) =>
        Apply(current, body, creating: false, writer, facts, now);

    /// <summary>Stops a running timer at <paramref name="now"/>: the duration is the whole seconds elapsed. Any other entry is returned as it is.</summary>
    public static TimeEntryState Stop(TimeEntryState entry, DateTime now) =>
        entry is { IsRunning: true, StartedAt: { } startedAt }
            ? entry with { StoppedAt = now, DurationSeconds = Duration.Between(startedAt, now) }
            : entry;

    /// <summary>
    /// The one-timer rule, per person: starting <paramref name="starting"/> stops <paramref name="running"/>,
    /// unless it is the same timer (starting it again changes nothing) or the running one is locked.
    /// </summary>
    public static TimerStart WhenStarting(TimeEntryState starting, TimeEntryState running) =>
        running.ProjectId == starting.ProjectId && running.TaskId == starting.TaskId && running.Note == starting.Note ? TimerStart.AlreadyRunning
        : running.IsLocked ? TimerStart.RunningIsLocked
        : TimerStart.StopsRunning;

    /// <summary>Timestamps are kept to the second, so stoppedAt − startedAt is exactly durationSeconds.</summary>
    public static DateTime WholeSeconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static DateTime? WholeSeconds(DateTime? value) => value is { } v ? WholeSeconds(v) : null;

    /// <summary>A new entry before its fields are read: the writer's own, billable.</summary>
    private static TimeEntryState NewEntry(Guid memberId) => new(
        memberId, ProjectId: Guid.Empty, TaskId: null, InvoiceId: null, DurationSeconds: null, Billable: true, Note: null,
        EntryDate: default, StartedAt: null, StoppedAt: null);

    private static TimeEntryOutcome Apply(TimeEntryState stored, JsonBody<TimeEntryInput> body, bool creating, TimeEntryWriter writer, TimeEntryFacts facts, DateTime now)
    {
        var v = new FieldValidator();
        var wasRunning = !creating && stored.IsRunning;

        var entry = ApplyPerson(stored, body, creating, wasRunning, writer, facts, v);
        (entry, var projectChanged) = ApplyProject(entry, body, creating, facts, v);
        (entry, var taskChanged) = ApplyTask(entry, body, creating, facts, v);

        // The task is always one of the entry's (possibly new) project: checked when either moved.
        if (entry.TaskId is { } taskId && (taskChanged || projectChanged) && !v.Errors.ContainsKey("projectId") && !v.Errors.ContainsKey("taskId")
            && TaskOf(taskId, facts)?.ProjectId != entry.ProjectId)
        {
            v.Fail("taskId", "not_in_project");
        }

        if (body.Applies(sent => sent.Note, creating))
        {
            entry = entry with { Note = v.Text("note", body.Value.Note, 2000) };
        }

        entry = ApplyTiming(entry, body, creating, wasRunning, v, now);
        entry = ApplyEntryDate(entry, body, creating, v);
        if (!v.IsValid)
        {
            return TimeEntryOutcome.Refused(v.Errors);
        }

        return TimeEntryOutcome.Accepted(ApplyBillable(entry, body, creating, facts));
    }

    /// <summary>
    /// Who worked. On create, a writer whose write reaches only their own rows is forced to
    /// themself (whatever userId says); others may name any active member. On PATCH a change is a
    /// reassignment, which needs the reassign action (the handler answers 403 before this without it),
    /// and a running timer is not handed over: its new owner could end up with two.
    /// </summary>
    private static TimeEntryState ApplyPerson(TimeEntryState entry, JsonBody<TimeEntryInput> body, bool creating, bool wasRunning, TimeEntryWriter writer, TimeEntryFacts facts, FieldValidator v)
    {
        if (!body.Has(sent => sent.UserId) || (creating && !writer.LogsForAnyone))
        {
            return entry;
        }

        if (v.Uuid("userId", body.Value.UserId, required: !creating) is not { } userId || userId == entry.MemberId)
        {
            return entry;
        }

        if (!creating && !writer.Reassigns)
        {
            v.Fail("userId", "read_only");
        }
        else if (wasRunning)
        {
            v.Fail("userId", "timer_running");
        }
        else if (facts.NamedPerson != userId)
        {
            v.Fail("userId", "not_found");
        }
        else
        {
            return entry with { MemberId = userId };
        }

        return entry;
    }

    /// <summary>The project: required, and one the writer reaches (a Member: one they are on).</summary>
    private static (TimeEntryState Entry, bool Changed) ApplyProject(TimeEntryState entry, JsonBody<TimeEntryInput> body, bool creating, TimeEntryFacts facts, FieldValidator v)
    {
        if (!body.Applies(sent => sent.ProjectId, creating)
            || v.Uuid("projectId", body.Value.ProjectId, required: true) is not { } projectId
            || (!creating && projectId == entry.ProjectId))
        {
            return (entry, false);
        }

        if (facts.NamedProject?.Id != projectId)
        {
            v.Fail("projectId", "not_found");
            return (entry, false);
        }

        return (entry with { ProjectId = projectId }, true);
    }

    /// <summary>The task: optional (blank or null clears it), and one in a project the writer reaches.</summary>
    private static (TimeEntryState Entry, bool Changed) ApplyTask(TimeEntryState entry, JsonBody<TimeEntryInput> body, bool creating, TimeEntryFacts facts, FieldValidator v)
    {
        if (!body.Applies(sent => sent.TaskId, creating))
        {
            return (entry, false);
        }

        if (FieldValidator.Clean(body.Value.TaskId) is null)
        {
            return (entry with { TaskId = null }, false);
        }

        if (v.Uuid("taskId", body.Value.TaskId) is not { } taskId)
        {
            return (entry, false);
        }

        if (facts.NamedTask?.Id != taskId)
        {
            v.Fail("taskId", "not_found");
            return (entry, false);
        }

        return (entry with { TaskId = taskId }, true);
    }

    /// <summary>
    /// Duration, startedAt, stoppedAt and the timer, on the merged result: a given duration
    /// (durationSeconds wins over duration) is kept, and with a startedAt it sets stoppedAt =
    /// startedAt + duration; without a duration, startedAt and stoppedAt give it; on create, a
    /// startedAt with no duration and no stoppedAt starts a timer; neither a duration nor startedAt is refused.
    /// </summary>
    private static TimeEntryState ApplyTiming(TimeEntryState entry, JsonBody<TimeEntryInput> body, bool creating, bool wasRunning, FieldValidator v, DateTime now)
    {
        var input = body.Value;
        var (durationField, duration) = SentDuration(body, creating, v);
        var startedAtSent = body.Has(sent => sent.StartedAt);
        var stoppedAtSent = body.Has(sent => sent.StoppedAt);
        if (body.Applies(sent => sent.StartedAt, creating))
        {
            entry = entry with { StartedAt = WholeSeconds(v.Timestamp("startedAt", input.StartedAt)) };
        }

        if (body.Applies(sent => sent.StoppedAt, creating))
        {
            entry = entry with { StoppedAt = WholeSeconds(v.Timestamp("stoppedAt", input.StoppedAt)) };
        }

        if (creating && durationField is null && entry.StartedAt is null && entry.StoppedAt is null)
        {
            // "Creating via the API requires a duration": only a startedAt (alone) starts a timer, so the
            // reference's sample {projectId, entryDate} is refused rather than silently stopping one.
            v.Fail("durationSeconds", "required");
            return entry;
        }

        if (entry.StoppedAt is not null && entry.StartedAt is null)
        {
            v.Fail("startedAt", "required");
            return entry;
        }

        if (entry.StartedAt is { } start && entry.StoppedAt is { } stop && stop <= start)
        {
            v.Fail("stoppedAt", "before_startedAt");
            return entry;
        }

        if (durationField is not null)
        {
            if (entry.IsRunning && !creating && (wasRunning || stoppedAtSent))
            {
                // A running entry has no duration yet: stop it (POST …/stop or PATCH stoppedAt) first.
                v.Fail(durationField, "timer_running");
                return entry;
            }

            if (duration is not { } seconds)
            {
                return entry;
            }

            // A sent stoppedAt stands; otherwise a start ends after the duration.
            return entry.StartedAt is { } from && !(stoppedAtSent && entry.StoppedAt is not null)
                ? entry with { DurationSeconds = seconds, StoppedAt = EndOf(from, seconds, durationField, v) }
                : entry with { DurationSeconds = seconds };
        }

        if (entry.StartedAt is { } begin && entry.StoppedAt is { } end)
        {
            if (!creating && !startedAtSent && !stoppedAtSent)
            {
                return entry;
            }

            // A timer stopped by PATCH keeps what it measured, even over a day; times sent for logged work may not span more.
            var measured = Duration.Between(begin, end);
            if (measured > Duration.MaxSeconds && !wasRunning)
            {
                v.Fail("stoppedAt", Duration.TooLarge);
            }

            return entry with { DurationSeconds = measured };
        }

        if (entry.IsRunning)
        {
            if (creating || wasRunning)
            {
                if (entry.StartedAt > now)
                {
                    v.Fail("startedAt", "in_the_future");
                }

                return entry with { DurationSeconds = null };
            }

            if (stoppedAtSent)
            {
                // A stopped entry is not restarted by clearing stoppedAt: start a new timer instead.
                v.Fail("stoppedAt", "required");
                return entry;
            }

            // A startedAt on a logged entry: it ends after its duration.
            return entry with { StoppedAt = EndOf(entry.StartedAt!.Value, entry.DurationSeconds ?? 0, "durationSeconds", v) };
        }

        // No timestamps: the entry needs a duration.
        if (entry.DurationSeconds is null)
        {
            v.Fail("durationSeconds", "required");
        }

        return entry;
    }

    /// <summary>The duration sent, and the field it came from: durationSeconds wins over duration; a blank one is none.</summary>
    private static (string? Field, long? Seconds) SentDuration(JsonBody<TimeEntryInput> body, bool creating, FieldValidator v)
    {
        string field;
        (long? Seconds, string? Error) parsed;
        if (body.Applies(sent => sent.DurationSeconds, creating) && FieldValidator.Clean(body.Value.DurationSeconds) is { } secondsText)
        {
            field = "durationSeconds";
            parsed = Duration.CheckSeconds(secondsText);
        }
        else if (body.Applies(sent => sent.Duration, creating) && FieldValidator.Clean(body.Value.Duration) is { } durationText)
        {
            field = "duration";
            parsed = Duration.Parse(durationText);
        }
        else
        {
            return (null, null);
        }

        if (parsed.Error is { } error)
        {
            v.Fail(field, error);
        }

        return (field, parsed.Seconds);
    }

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

    /// <summary>The day: required, except that on create it defaults to the start's (UTC) day, for a timer and a logged entry alike.</summary>
    private static TimeEntryState ApplyEntryDate(TimeEntryState entry, JsonBody<TimeEntryInput> body, bool creating, FieldValidator v)
    {
        if (!body.Applies(sent => sent.EntryDate, creating))
        {
            return entry;
        }

        var startDay = creating && entry.StartedAt is { } startedAt ? DateOnly.FromDateTime(startedAt) : (DateOnly?)null;
        return entry with { EntryDate = v.Date("entryDate", body.Value.EntryDate, required: startDay is null) ?? startDay ?? entry.EntryDate };
    }

    /// <summary>Billable: sent, else (on create, or sent as null) the task's flag, else true; never on a NON_BILLABLE project.</summary>
    private static TimeEntryState ApplyBillable(TimeEntryState entry, JsonBody<TimeEntryInput> body, bool creating, TimeEntryFacts facts)
    {
        if (body.Applies(sent => sent.Billable, creating))
        {
            entry = entry with { Billable = body.Value.Billable ?? (entry.TaskId is { } taskId ? TaskOf(taskId, facts)?.Billable : null) ?? true };
        }

        return ProjectOf(entry.ProjectId, facts)?.RateType == RateType.NonBillable ? entry with { Billable = false } : entry;
    }

    /// <summary>The entry's task: the one sent, else the stored one.</summary>
    private static TaskFacts? TaskOf(Guid taskId, TimeEntryFacts facts) =>
        facts.NamedTask?.Id == taskId ? facts.NamedTask : facts.CurrentTask?.Id == taskId ? facts.CurrentTask : null;

    /// <summary>The entry's project: the one it moves to, else the stored one.</summary>
    private static ProjectFacts? ProjectOf(Guid projectId, TimeEntryFacts facts) =>
        facts.NamedProject?.Id == projectId ? facts.NamedProject : facts.CurrentProject?.Id == projectId ? facts.CurrentProject : null;
}
