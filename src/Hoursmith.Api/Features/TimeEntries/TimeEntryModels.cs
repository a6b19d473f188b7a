using System.Text.Json.Serialization;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.OpenApi;

namespace Hoursmith.Api.Features.TimeEntries;

/// <summary>
/// A time entry's writable fields. On PATCH, omitted fields stay and null clears. On create, send
/// a duration (durationSeconds or duration), or startedAt alone to start a timer; neither is 422.
/// </summary>
/// <param name="UserId">The member who worked. A Member's own id is forced; Owners, Admins and Managers may log time for any active member; changing it later (reassigning) is for Owners and Admins only.</param>
/// <param name="ProjectId">Required: a project the token reaches.</param>
/// <param name="TaskId">Optional: a task of that project.</param>
/// <param name="DurationSeconds">Whole seconds, 1 to 86400 (the canonical form). Wins over duration when both are sent. On create a duration is required unless startedAt starts a timer.</param>
/// <param name="Duration">A human duration: "1h30m", "1h 30m", "90m", "1.5h", "1:30", "1:30:15"; a bare number is hours ("2" = 2h).</param>
/// <param name="Billable">Defaults to the task's billable flag, else true; always false on a NON_BILLABLE project.</param>
/// <param name="Note">At most 2000 characters.</param>
/// <param name="EntryDate">YYYY-MM-DD. On create it defaults to startedAt's UTC date when startedAt is sent; required otherwise.</param>
/// <param name="StartedAt">ISO 8601 timestamp. Alone (no duration, no stoppedAt) it starts a timer; with stoppedAt and no duration the duration is their difference.</param>
/// <param name="StoppedAt">ISO 8601 timestamp, after startedAt; needs startedAt.</param>
public sealed record TimeEntryInput(
    [property: Field(FieldFormat.Uuid, NotNull = true)] string? UserId,
    [property: Field(FieldFormat.Uuid, Required = true)] string? ProjectId,
    [property: Field(FieldFormat.Uuid)] string? TaskId,
    [property: JsonConverter(typeof(NumberOrStringConverter)), Field(FieldFormat.WholeNumber, Minimum = 1, Maximum = 86400, RequiredUnless = ["duration", "startedAt"])] string? DurationSeconds,
    [property: Field] string? Duration,
    bool? Billable,
    [property: Field(MaxLength = 2000)] string? Note,
    [property: Field(FieldFormat.Date, RequiredUnless = ["startedAt"])] string? EntryDate,
    [property: Field(FieldFormat.DateTime)] string? StartedAt,
    [property: Field(FieldFormat.DateTime)] string? StoppedAt);

/// <summary>A time entry as the API returns it.</summary>
/// <param name="UserId">The member who worked (their member id).</param>
/// <param name="InvoiceId">Set while the entry is on an invoice; the entry is then locked.</param>
/// <param name="DurationSeconds">Null while the timer runs.</param>
/// <param name="Running">Our addition: true while the timer runs (startedAt set, stoppedAt not).</param>
public sealed record TimeEntryView(
    Guid Id,
    Guid OrgId,
    Guid UserId,
    Guid ProjectId,
    Guid? TaskId,
    Guid? InvoiceId,
    long? DurationSeconds,
    bool Billable,
    string? Note,
    DateOnly EntryDate,
    DateTime? StartedAt,
    DateTime? StoppedAt,
    bool Running,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt)
{
    public static TimeEntryView From(TimeEntry e) => new(
        e.Id, e.WorkspaceId, e.MemberId, e.ProjectId, e.TaskId, e.InvoiceId, e.DurationSeconds, e.Billable, e.Note,
        e.EntryDate, e.StartedAt, e.StoppedAt, e.IsRunning, e.CreatedAt, e.UpdatedAt, e.DeletedAt);
}

// Its own record because, unlike every other single object's (DataEnvelope<T>, never null), this data may be null
// and the document must say so.

/// <summary>The caller's running timer: <c>{"data":{…}}</c>, or <c>{"data":null}</c> when none runs.</summary>
/// <param name="Data">The caller's running timer, or null when none runs.</param>
public sealed record RunningTimeEntryEnvelope(TimeEntryView? Data);
