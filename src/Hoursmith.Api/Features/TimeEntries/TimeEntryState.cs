using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Features.TimeEntries;

/// <summary>
/// A time entry's fields as the rules see them (<see cref="TimeEntryRules"/>): what a request may change,
/// and the invoice that locks it. Handlers read it from the stored row and copy the rules' answer back.
/// </summary>
/// <param name="MemberId">Who worked ("userId" in the API).</param>
/// <param name="InvoiceId">Read-only: set while the entry is on an invoice, which locks it.</param>
/// <param name="DurationSeconds">Null while a timer runs.</param>
public sealed record TimeEntryState(
    Guid MemberId,
    Guid ProjectId,
    Guid? TaskId,
    Guid? InvoiceId,
    long? DurationSeconds,
    bool Billable,
    string? Note,
    DateOnly EntryDate,
    DateTime? StartedAt,
    DateTime? StoppedAt)
{
    /// <summary>A timer: started and not stopped.</summary>
    public bool IsRunning => StartedAt is not null && StoppedAt is null;

    public bool IsLocked => InvoiceId is not null;

    public static TimeEntryState Of(TimeEntry entry) => new(
        entry.MemberId, entry.ProjectId, entry.TaskId, entry.InvoiceId, entry.DurationSeconds, entry.Billable, entry.Note,
        entry.EntryDate, entry.StartedAt, entry.StoppedAt);

    /// <summary>Writes the fields a request may change onto <paramref name="entry"/> (never the invoice, ids or timestamps of the row).</summary>
    public void CopyTo(TimeEntry entry)
    {
        entry.MemberId = MemberId;
        entry.ProjectId = ProjectId;
        entry.TaskId = TaskId;
        entry.DurationSeconds = DurationSeconds;
        entry.Billable = Billable;
        entry.Note = Note;
        entry.EntryDate = EntryDate;
        entry.StartedAt = StartedAt;
        entry.StoppedAt = StoppedAt;
    }
}
