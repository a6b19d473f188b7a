using System.Globalization;
using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.TimeEntries;
using Hoursmith.Api.Infrastructure.Json;

namespace Hoursmith.Api.Tests.Unit;

/// <summary>
/// The time-entry rules against hand-worked cases: bodies as a client sends them (read by the same
/// <see cref="JsonBody{T}"/> a request is), a small workspace of projects, tasks and people for the
/// facts, and a fixed now (2026-06-11 12:00 UTC). Outcomes are compared as short strings: the timing as
/// "duration startedAt stoppedAt entryDate", errors as "field:code" in the order the 422 lists them.
/// In bodies, @A @B @N @Off name projects, @tA @tA2 @tB @tOff tasks and @me @other @removed people.
/// </summary>
public class TimeEntryRulesTests
{
    private static readonly DateTime s_now = new(2026, 6, 11, 12, 0, 0, DateTimeKind.Utc);

    private static readonly Guid s_me = Id(0x1);
    private static readonly Guid s_other = Id(0x2);
    private static readonly Guid s_removed = Id(0x3);
    private static readonly Guid s_invoice = Id(0x99);

    // Projects: A and B hourly, N NON_BILLABLE, Off one the writer does not reach.
    private static readonly ProjectFacts s_a = new(Id(0xa), RateType.Hourly);
    private static readonly ProjectFacts s_b = new(Id(0xb), RateType.Hourly);
    private static readonly ProjectFacts s_n = new(Id(0xc), RateType.NonBillable);
    private static readonly ProjectFacts s_off = new(Id(0xd), RateType.Hourly);

    // Tasks: tA (billable) and tA2 (not billable) in A, tB in B, tOff in Off.
    private static readonly TaskFacts s_taskA = new(Id(0xa1), s_a.Id, Billable: true);
    private static readonly TaskFacts s_unbilledTaskA = new(Id(0xa2), s_a.Id, Billable: false);
    private static readonly TaskFacts s_taskB = new(Id(0xb1), s_b.Id, Billable: true);
    private static readonly TaskFacts s_taskOff = new(Id(0xd1), s_off.Id, Billable: true);

    private static readonly ProjectFacts[] s_projects = [s_a, s_b, s_n, s_off];
    private static readonly TaskFacts[] s_tasks = [s_taskA, s_unbilledTaskA, s_taskB, s_taskOff];
    private static readonly Guid[] s_reachable = [s_a.Id, s_b.Id, s_n.Id];
    private static readonly Guid[] s_active = [s_me, s_other];

    private static readonly TimeEntryWriter s_owner = new(s_me, LogsForAnyone: true, Reassigns: true);
    private static readonly TimeEntryWriter s_manager = new(s_me, LogsForAnyone: true, Reassigns: false);
    private static readonly TimeEntryWriter s_member = new(s_me, LogsForAnyone: false, Reassigns: false);

    private static readonly JsonSerializerOptions s_json = ApiJsonOptions();

    /// <summary>Logged work on A: an hour on 2026-06-11, no times.</summary>
    private static readonly TimeEntryState s_logged = new(
        s_me, s_a.Id, TaskId: null, InvoiceId: null, DurationSeconds: 3600, Billable: true, Note: "Review",
        EntryDate: new DateOnly(2026, 6, 11), StartedAt: null, StoppedAt: null);

    /// <summary>Logged work with its times: 09:00–10:00.</summary>
    private static readonly TimeEntryState s_loggedWithTimes = s_logged with { StartedAt = At("2026-06-11T09:00:00Z"), StoppedAt = At("2026-06-11T10:00:00Z") };

    /// <summary>A timer running since 11:00.</summary>
    private static readonly TimeEntryState s_running = s_logged with { DurationSeconds = null, StartedAt = At("2026-06-11T11:00:00Z") };

    private static Guid Id(int n) => Guid.Parse($"00000000-0000-4000-8000-{n:x12}");

    private static DateTime At(string iso) => DateTime.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    private static JsonSerializerOptions ApiJsonOptions()
    {
        var options = new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions;
        ApiJson.Configure(options);
        return options;
    }

    private static readonly (string Name, Guid Id)[] s_names =
    [
        ("@tOff", s_taskOff.Id), ("@tA2", s_unbilledTaskA.Id), ("@tA", s_taskA.Id), ("@tB", s_taskB.Id),
        ("@Off", s_off.Id), ("@A", s_a.Id), ("@B", s_b.Id), ("@N", s_n.Id),
        ("@me", s_me), ("@other", s_other), ("@removed", s_removed),
    ];

    /// <summary>The body a request with <paramref name="json"/> binds, names replaced by ids.</summary>
    private static JsonBody<TimeEntryInput> Body(string json)
    {
        foreach (var (name, id) in s_names)
        {
            json = json.Replace(name, id.ToString(), StringComparison.Ordinal);
        }

        using var document = JsonDocument.Parse(json);
        return JsonBody<TimeEntryInput>.Read(document.RootElement, s_json);
    }

    /// <summary>The facts the handler would load for <paramref name="body"/> from this small workspace.</summary>
    private static TimeEntryFacts Facts(JsonBody<TimeEntryInput> body, TimeEntryState? current)
    {
        static Guid? IdOf(string? text) => Guid.TryParse(text?.Trim(), out var id) ? id : null;
        var input = body.Value;
        return new TimeEntryFacts(
            NamedProject: s_projects.FirstOrDefault(p => p.Id == IdOf(input.ProjectId) && s_reachable.Contains(p.Id)),
            NamedTask: s_tasks.FirstOrDefault(t => t.Id == IdOf(input.TaskId) && s_reachable.Contains(t.ProjectId)),
            NamedPerson: IdOf(input.UserId) is { } person && s_active.Contains(person) ? person : null,
            CurrentProject: s_projects.FirstOrDefault(p => p.Id == current?.ProjectId),
            CurrentTask: s_tasks.FirstOrDefault(t => t.Id == current?.TaskId));
    }

    private static TimeEntryOutcome Create(string json, TimeEntryWriter? writer = null, DateTime? now = null)
    {
        var body = Body(json);
        return TimeEntryRules.Create(body, writer ?? s_owner, Facts(body, null), now ?? s_now);
    }

    private static TimeEntryOutcome Update(TimeEntryState current, string json, TimeEntryWriter? writer = null)
    {
        var body = Body(json);
        return TimeEntryRules.Update(current, body, writer ?? s_owner, Facts(body, current), s_now);
    }

    private static TimeEntryState Accepted(TimeEntryOutcome outcome)
    {
        Assert.True(outcome.Entry is not null, $"refused: {Errors(outcome)}");
        Assert.Empty(outcome.Errors);
        return outcome.Entry;
    }

    private static string Errors(TimeEntryOutcome outcome)
    {
        Assert.True(outcome.Entry is null || outcome.Errors.Count == 0, "both an entry and errors");
        return string.Join(" ", outcome.Errors.Select(e => $"{e.Key}:{e.Value}"));
    }

    private static string Iso(DateTime? value) => value?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "-";

    private static string Timing(TimeEntryState entry) =>
        $"{entry.DurationSeconds?.ToString(CultureInfo.InvariantCulture) ?? "-"} {Iso(entry.StartedAt)} {Iso(entry.StoppedAt)} {entry.EntryDate:yyyy-MM-dd}";

    // ---- create: logged time and timers --------------------------------------------------------

    [Theory]
    // A duration: durationSeconds (the canonical form) or a human duration; durationSeconds wins, even over garbage.
    [InlineData("""{"durationSeconds":5400,"entryDate":"2026-06-11"}""", "5400 - - 2026-06-11")]
    [InlineData("""{"durationSeconds":"5400","entryDate":"2026-06-11"}""", "5400 - - 2026-06-11")]
    [InlineData("""{"duration":"1h30m","entryDate":"2026-06-11"}""", "5400 - - 2026-06-11")]
    [InlineData("""{"durationSeconds":60,"duration":"8h","entryDate":"2026-06-11"}""", "60 - - 2026-06-11")]
    [InlineData("""{"durationSeconds":120,"duration":"garbage","entryDate":"2026-06-11"}""", "120 - - 2026-06-11")]
    [InlineData("""{"durationSeconds":null,"duration":"45m","entryDate":"2026-06-11"}""", "2700 - - 2026-06-11")]
    [InlineData("""{"durationSeconds":" ","duration":"45m","entryDate":"2026-06-11"}""", "2700 - - 2026-06-11")]
    [InlineData("""{"durationSeconds":86400,"entryDate":"2026-06-11"}""", "86400 - - 2026-06-11")]
    // Start and stop give the duration; a start and a duration give the stop.
    [InlineData("""{"startedAt":"2026-06-11T09:00:00Z","stoppedAt":"2026-06-11T10:30:15Z","entryDate":"2026-06-11"}""", "5415 2026-06-11T09:00:00Z 2026-06-11T10:30:15Z 2026-06-11")]
    [InlineData("""{"startedAt":"2026-06-11T09:00:00Z","duration":"1h30m","entryDate":"2026-06-11"}""", "5400 2026-06-11T09:00:00Z 2026-06-11T10:30:00Z 2026-06-11")]
    [InlineData("""{"startedAt":"2026-06-10T09:00:00Z","stoppedAt":"2026-06-11T09:00:00Z"}""", "86400 2026-06-10T09:00:00Z 2026-06-11T09:00:00Z 2026-06-10")]
    // All three: each is kept as sent, even when they disagree (the stop is not moved).
    [InlineData("""{"startedAt":"2026-06-11T09:00:00Z","stoppedAt":"2026-06-11T10:00:00Z","durationSeconds":60}""", "60 2026-06-11T09:00:00Z 2026-06-11T10:00:00Z 2026-06-11")]
    // Across midnight: the day is the start's (UTC) day unless entryDate is sent.
    [InlineData("""{"startedAt":"2026-06-10T23:30:00Z","stoppedAt":"2026-06-11T00:30:00Z"}""", "3600 2026-06-10T23:30:00Z 2026-06-11T00:30:00Z 2026-06-10")]
    [InlineData("""{"startedAt":"2026-06-10T23:30:00Z","duration":"1h"}""", "3600 2026-06-10T23:30:00Z 2026-06-11T00:30:00Z 2026-06-10")]
    [InlineData("""{"startedAt":"2026-06-10T23:30:00Z","stoppedAt":"2026-06-11T00:30:00Z","entryDate":"2026-06-11"}""", "3600 2026-06-10T23:30:00Z 2026-06-11T00:30:00Z 2026-06-11")]
    [InlineData("""{"startedAt":"2026-06-11T01:00:00+02:00","duration":"1h"}""", "3600 2026-06-10T23:00:00Z 2026-06-11T00:00:00Z 2026-06-10")]
    // Timestamps are kept to the whole second (rounded down), so stop − start is exactly the duration.
    [InlineData("""{"startedAt":"2026-06-11T09:00:00.9Z","stoppedAt":"2026-06-11T09:00:01.1Z"}""", "1 2026-06-11T09:00:00Z 2026-06-11T09:00:01Z 2026-06-11")]
    // The stored range's edges; a computed stop may pass the last day by up to a day (no arithmetic overflows).
    [InlineData("""{"durationSeconds":60,"entryDate":"2000-01-01"}""", "60 - - 2000-01-01")]
    [InlineData("""{"durationSeconds":60,"entryDate":"2100-12-31"}""", "60 - - 2100-12-31")]
    [InlineData("""{"startedAt":"2000-01-01T00:00:00Z","duration":"1h"}""", "3600 2000-01-01T00:00:00Z 2000-01-01T01:00:00Z 2000-01-01")]
    [InlineData("""{"startedAt":"2100-12-31T23:00:00Z","durationSeconds":86400,"entryDate":"2100-12-31"}""", "86400 2100-12-31T23:00:00Z 2101-01-01T23:00:00Z 2100-12-31")]
    public void Create_logs_time_from_a_duration_or_from_times(string json, string timing)
    {
        var entry = Accepted(Create(json.Replace("{", """{"projectId":"@A",""", StringComparison.Ordinal)));

        Assert.Equal(timing, Timing(entry));
        Assert.False(entry.IsRunning);
        Assert.Equal(s_me, entry.MemberId);
        Assert.Equal(s_a.Id, entry.ProjectId);
    }

    [Theory]
    [InlineData("2026-06-11T09:00:00Z", null, "- 2026-06-11T09:00:00Z - 2026-06-11")]
    [InlineData("2026-06-10T23:59:59Z", null, "- 2026-06-10T23:59:59Z - 2026-06-10")]         // yesterday's day, across midnight
    [InlineData("2026-06-11T12:00:00Z", null, "- 2026-06-11T12:00:00Z - 2026-06-11")]         // now itself is not the future
    [InlineData("2026-06-11T12:00:00.9Z", null, "- 2026-06-11T12:00:00Z - 2026-06-11")]       // nor is the second now is in
    [InlineData("2026-06-11T09:00:00Z", "2026-06-01", "- 2026-06-11T09:00:00Z - 2026-06-01")] // a sent day wins
    [InlineData("2000-01-01T00:00:00Z", null, "- 2000-01-01T00:00:00Z - 2000-01-01")]
    public void StartedAt_alone_starts_a_timer_dated_by_its_start(string startedAt, string? entryDate, string timing)
    {
        var date = entryDate is null ? "" : $",\"entryDate\":\"{entryDate}\"";

        var entry = Accepted(Create($$"""{"projectId":"@A","startedAt":"{{startedAt}}","note":"Deep work"{{date}}}"""));

        Assert.True(entry.IsRunning);
        Assert.Equal(timing, Timing(entry));
        Assert.Equal("Deep work", entry.Note);
    }

    [Fact]
    public void A_timer_with_a_duration_or_stop_sent_as_null_still_starts()
    {
        var entry = Accepted(Create("""{"projectId":"@A","startedAt":"2026-06-11T11:00:00Z","stoppedAt":null,"durationSeconds":null,"duration":""}"""));

        Assert.True(entry.IsRunning);
        Assert.Null(entry.DurationSeconds);
    }

    [Theory]
    // The reference's sample {projectId, entryDate} is refused: it never starts (or stops) a timer.
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11"}""", "durationSeconds:required")]
    [InlineData("""{"projectId":"@A"}""", "durationSeconds:required entryDate:required")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","durationSeconds":null,"duration":null,"startedAt":null}""", "durationSeconds:required")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","duration":"  "}""", "durationSeconds:required")]
    [InlineData("""{"durationSeconds":60,"entryDate":"2026-06-11"}""", "projectId:required")]
    [InlineData("""{"durationSeconds":60}""", "projectId:required entryDate:required")]
    [InlineData("""{"projectId":"nope","durationSeconds":60,"entryDate":"2026-06-11"}""", "projectId:not_a_uuid")]
    [InlineData("""{"projectId":"00000000-0000-4000-8000-000000000000","durationSeconds":60,"entryDate":"2026-06-11"}""", "projectId:not_found")]
    [InlineData("""{"projectId":"@Off","durationSeconds":60,"entryDate":"2026-06-11"}""", "projectId:not_found")]
    // Durations: the field sent is named, with Duration's reason.
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","duration":"garbage"}""", "duration:invalid")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","duration":"0h"}""", "duration:invalid")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","duration":"25h"}""", "duration:too_large")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","durationSeconds":0}""", "durationSeconds:must_be_positive")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","durationSeconds":-60}""", "durationSeconds:must_be_positive")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","durationSeconds":90.5}""", "durationSeconds:not_an_integer")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","durationSeconds":"90m"}""", "durationSeconds:not_an_integer")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","durationSeconds":86401}""", "durationSeconds:too_large")]
    // Times.
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","stoppedAt":"2026-06-11T10:00:00Z"}""", "startedAt:required")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","startedAt":"2026-06-11T10:00:00Z","stoppedAt":"2026-06-11T09:00:00Z"}""", "stoppedAt:before_startedAt")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","startedAt":"2026-06-11T10:00:00Z","stoppedAt":"2026-06-11T10:00:00Z"}""", "stoppedAt:before_startedAt")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","startedAt":"2026-06-11T10:00:00.2Z","stoppedAt":"2026-06-11T10:00:00.8Z"}""", "stoppedAt:before_startedAt")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","startedAt":"2026-06-10T09:00:00Z","stoppedAt":"2026-06-11T09:00:01Z"}""", "stoppedAt:too_large")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","startedAt":"yesterday"}""", "startedAt:invalid_timestamp durationSeconds:required")]
    [InlineData("""{"projectId":"@A","startedAt":"yesterday"}""", "startedAt:invalid_timestamp durationSeconds:required entryDate:required")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","startedAt":"2026-06-11T09:00:00Z","stoppedAt":"soon"}""", "stoppedAt:invalid_timestamp")]
    [InlineData("""{"projectId":"@A","startedAt":"2026-06-11T12:00:01Z"}""", "startedAt:in_the_future")]
    [InlineData("""{"projectId":"@A","startedAt":"2099-01-01T09:00:00Z"}""", "startedAt:in_the_future")]
    [InlineData("""{"projectId":"@A","startedAt":"1999-12-31T23:59:59Z"}""", "startedAt:invalid durationSeconds:required entryDate:required")]
    [InlineData("""{"projectId":"@A","startedAt":"2999-01-01T09:00:00Z"}""", "startedAt:invalid durationSeconds:required entryDate:required")]
    [InlineData("""{"projectId":"@A","entryDate":"2026-06-11","startedAt":"2026-06-11T09:00:00Z","stoppedAt":"2101-01-01T00:00:00Z"}""", "stoppedAt:invalid")]
    // Days.
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"11/06/2026"}""", "entryDate:invalid_date")]
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"1999-12-31"}""", "entryDate:invalid")]
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"2101-01-01"}""", "entryDate:invalid")]
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"9999-12-31"}""", "entryDate:invalid")]
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":null}""", "entryDate:required")]
    // Tasks: one of a project the writer reaches, and of the entry's project.
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","taskId":"x"}""", "taskId:not_a_uuid")]
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","taskId":"00000000-0000-4000-8000-000000000000"}""", "taskId:not_found")]
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","taskId":"@tOff"}""", "taskId:not_found")]
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","taskId":"@tB"}""", "taskId:not_in_project")]
    [InlineData("""{"projectId":"@Off","durationSeconds":60,"entryDate":"2026-06-11","taskId":"@tB"}""", "projectId:not_found")]
    // Notes.
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","note":"a\u0001b"}""", "note:invalid")]
    // People: an Owner, Admin or Manager logs time for any active member.
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","userId":"@removed"}""", "userId:not_found")]
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","userId":"00000000-0000-4000-8000-000000000000"}""", "userId:not_found")]
    [InlineData("""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","userId":"nope"}""", "userId:not_a_uuid")]
    // Every bad field at once, in the order the fields are read.
    [InlineData("""{"projectId":"nope","userId":"nope","entryDate":"June","duration":"lots","taskId":"x","startedAt":"then"}""", "userId:not_a_uuid projectId:not_a_uuid taskId:not_a_uuid duration:invalid startedAt:invalid_timestamp entryDate:invalid_date")]
    public void Create_refuses_bad_fields_with_the_422_codes(string json, string errors)
    {
        Assert.Equal(errors, Errors(Create(json)));
    }

    [Fact]
    public void A_note_longer_than_2000_characters_is_too_long_and_2000_are_fine()
    {
        Assert.Equal("note:too_long", Errors(Create($$"""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","note":"{{new string('n', 2001)}}"}""")));
        Assert.Equal(2000, Accepted(Create($$"""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","note":"{{new string('n', 2000)}}"}""")).Note!.Length);
    }

    [Theory]
    [InlineData("""{"note":"  Homepage  "}""", "Homepage")]
    [InlineData("""{"note":"Line one\nline two\tend"}""", "Line one\nline two\tend")]
    [InlineData("""{"note":""}""", null)]
    [InlineData("""{"note":null}""", null)]
    [InlineData("""{}""", null)]
    public void Notes_are_trimmed_text_and_blank_is_none(string json, string? note)
    {
        var entry = Accepted(Create(json.Replace("{", """{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11",""", StringComparison.Ordinal).Replace(",}", "}", StringComparison.Ordinal)));

        Assert.Equal(note, entry.Note);
    }

    [Theory]
    [InlineData("@other", "owner", "@other")]      // Owners, Admins and Managers log for anyone active
    [InlineData("@other", "manager", "@other")]
    [InlineData("@me", "owner", "@me")]
    [InlineData("@other", "member", "@me")]        // a Member's own id is forced, whatever userId says
    [InlineData("@removed", "member", "@me")]
    [InlineData("nope", "member", "@me")]          // ... and not even read
    [InlineData(null, "owner", "@me")]             // null on create: the writer
    public void Who_worked_is_the_writer_unless_their_role_logs_for_anyone(string? userId, string role, string expected)
    {
        var writer = role switch { "owner" => s_owner, "manager" => s_manager, _ => s_member };
        var user = userId is null ? "null" : $"\"{userId}\"";

        var entry = Accepted(Create($$"""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","userId":{{user}}}""", writer));

        Assert.Equal(expected == "@me" ? s_me : s_other, entry.MemberId);
    }

    [Theory]
    [InlineData("""{"projectId":"@A"}""", true)]                                   // no task: true
    [InlineData("""{"projectId":"@A","taskId":"@tA"}""", true)]                    // the task's flag
    [InlineData("""{"projectId":"@A","taskId":"@tA2"}""", false)]
    [InlineData("""{"projectId":"@A","taskId":"@tA2","billable":null}""", false)]
    [InlineData("""{"projectId":"@A","taskId":"@tA2","billable":true}""", true)]   // sent wins over the task
    [InlineData("""{"projectId":"@A","billable":false}""", false)]
    [InlineData("""{"projectId":"@A","taskId":null}""", true)]
    [InlineData("""{"projectId":"@N"}""", false)]                                  // never on a NON_BILLABLE project
    [InlineData("""{"projectId":"@N","billable":true}""", false)]
    public void Billable_is_sent_else_the_tasks_else_true_and_never_on_a_non_billable_project(string json, bool billable)
    {
        var entry = Accepted(Create(json.Replace("}", ""","durationSeconds":60,"entryDate":"2026-06-11"}""", StringComparison.Ordinal)));

        Assert.Equal(billable, entry.Billable);
    }

    [Fact]
    public void Read_only_and_unknown_fields_are_not_taken_from_the_body()
    {
        var entry = Accepted(Create("""{"projectId":"@A","durationSeconds":60,"entryDate":"2026-06-11","invoiceId":"00000000-0000-4000-8000-000000000099","running":true,"id":"x"}"""));

        Assert.Null(entry.InvoiceId);
        Assert.False(entry.IsRunning);
    }

    // ---- PATCH ---------------------------------------------------------------------------------

    [Fact]
    public void Patch_changes_only_what_is_sent()
    {
        Assert.Equal(s_logged with { Note = "Checked" }, Accepted(Update(s_logged, """{"note":"Checked"}""")));
        Assert.Equal(s_logged, Accepted(Update(s_logged, "{}")));
        Assert.Equal(s_loggedWithTimes with { EntryDate = new DateOnly(2026, 6, 12) }, Accepted(Update(s_loggedWithTimes, """{"entryDate":"2026-06-12"}""")));
        Assert.Equal(s_running with { Note = "Still going" }, Accepted(Update(s_running, """{"note":"Still going"}""")));
    }

    [Theory]
    // Null (or blank) clears what may be empty...
    [InlineData("""{"note":null}""", "note= task=tA")]
    [InlineData("""{"note":"   "}""", "note= task=tA")]
    [InlineData("""{"taskId":null}""", "note=Design task=")]
    [InlineData("""{"taskId":""}""", "note=Design task=")]
    // ... and what may not be is required.
    [InlineData("""{"entryDate":null}""", "entryDate:required")]
    [InlineData("""{"entryDate":""}""", "entryDate:required")]
    [InlineData("""{"projectId":null}""", "projectId:required")]
    [InlineData("""{"userId":null}""", "userId:required")]
    // A duration sent as null is no duration sent: a logged entry keeps its own.
    [InlineData("""{"durationSeconds":null}""", "note=Design task=tA")]
    [InlineData("""{"durationSeconds":0}""", "durationSeconds:must_be_positive")]
    public void Patch_null_clears_what_may_be_empty_and_is_required_elsewhere(string json, string expected)
    {
        var current = s_logged with { Note = "Design", TaskId = s_taskA.Id };

        var outcome = Update(current, json);

        var described = outcome.Entry is { } entry
            ? $"note={entry.Note} task={(entry.TaskId == s_taskA.Id ? "tA" : entry.TaskId?.ToString())}"
            : Errors(outcome);
        Assert.Equal(expected, described);
        Assert.Equal(3600, outcome.Entry?.DurationSeconds ?? 3600);
    }

    [Theory]
    // Logged work without times: a duration replaces it; a start gives the stop after the stored duration.
    [InlineData("logged", """{"duration":"2h"}""", "7200 - - 2026-06-11")]
    [InlineData("logged", """{"durationSeconds":600,"duration":"2h"}""", "600 - - 2026-06-11")]
    [InlineData("logged", """{"startedAt":"2026-06-11T08:00:00Z"}""", "3600 2026-06-11T08:00:00Z 2026-06-11T09:00:00Z 2026-06-11")]
    [InlineData("logged", """{"startedAt":"2026-06-10T23:30:00Z"}""", "3600 2026-06-10T23:30:00Z 2026-06-11T00:30:00Z 2026-06-11")] // the day stays as stored
    [InlineData("logged", """{"startedAt":"2026-06-11T08:00:00Z","stoppedAt":"2026-06-11T08:30:00Z"}""", "1800 2026-06-11T08:00:00Z 2026-06-11T08:30:00Z 2026-06-11")]
    [InlineData("logged", """{"startedAt":null}""", "3600 - - 2026-06-11")]
    // Logged work with times 09:00–10:00: duration and times stay in step.
    [InlineData("times", """{"stoppedAt":"2026-06-11T11:00:00Z"}""", "7200 2026-06-11T09:00:00Z 2026-06-11T11:00:00Z 2026-06-11")]
    [InlineData("times", """{"startedAt":"2026-06-11T09:30:00Z"}""", "1800 2026-06-11T09:30:00Z 2026-06-11T10:00:00Z 2026-06-11")]
    [InlineData("times", """{"durationSeconds":1800}""", "1800 2026-06-11T09:00:00Z 2026-06-11T09:30:00Z 2026-06-11")]
    [InlineData("times", """{"duration":"24h"}""", "86400 2026-06-11T09:00:00Z 2026-06-12T09:00:00Z 2026-06-11")]
    [InlineData("times", """{"durationSeconds":1800,"stoppedAt":"2026-06-11T11:00:00Z"}""", "1800 2026-06-11T09:00:00Z 2026-06-11T11:00:00Z 2026-06-11")] // both sent: kept as sent
    [InlineData("times", """{"stoppedAt":"2026-06-12T00:30:00Z"}""", "55800 2026-06-11T09:00:00Z 2026-06-12T00:30:00Z 2026-06-11")]
    [InlineData("times", """{"startedAt":null,"stoppedAt":null,"durationSeconds":60}""", "60 - - 2026-06-11")]
    [InlineData("times", """{"note":"x"}""", "3600 2026-06-11T09:00:00Z 2026-06-11T10:00:00Z 2026-06-11")]
    // A running timer (since 11:00): a stop time stops it; a new start moves it; a note leaves it running.
    [InlineData("running", """{"stoppedAt":"2026-06-11T11:45:00Z"}""", "2700 2026-06-11T11:00:00Z 2026-06-11T11:45:00Z 2026-06-11")]
    [InlineData("running", """{"stoppedAt":"2026-06-11T13:00:00Z"}""", "7200 2026-06-11T11:00:00Z 2026-06-11T13:00:00Z 2026-06-11")]     // a stop time is not checked against now
    [InlineData("running", """{"startedAt":"2026-06-11T10:00:00Z"}""", "- 2026-06-11T10:00:00Z - 2026-06-11")]
    [InlineData("running", """{"startedAt":"2026-06-11T12:00:00Z"}""", "- 2026-06-11T12:00:00Z - 2026-06-11")]
    [InlineData("running", """{"startedAt":"2026-06-10T22:00:00Z"}""", "- 2026-06-10T22:00:00Z - 2026-06-11")]                             // the day stays as stored
    [InlineData("running", """{"startedAt":"2026-06-11T09:00:00Z","stoppedAt":"2026-06-11T10:00:00Z"}""", "3600 2026-06-11T09:00:00Z 2026-06-11T10:00:00Z 2026-06-11")]
    [InlineData("running", """{"stoppedAt":"2026-06-11T11:00:00Z","startedAt":"2026-06-11T10:59:59Z"}""", "1 2026-06-11T10:59:59Z 2026-06-11T11:00:00Z 2026-06-11")]
    // A timer that ran across midnight and past a day keeps what it measured when stopped.
    [InlineData("midnight", """{"stoppedAt":"2026-06-11T11:00:00Z"}""", "93600 2026-06-10T09:00:00Z 2026-06-11T11:00:00Z 2026-06-10")]
    [InlineData("midnight", """{"stoppedAt":"2026-06-11T00:15:00Z"}""", "54900 2026-06-10T09:00:00Z 2026-06-11T00:15:00Z 2026-06-10")]
    public void Patch_keeps_duration_and_times_in_step(string stored, string json, string timing)
    {
        var current = stored switch
        {
            "logged" => s_logged,
            "times" => s_loggedWithTimes,
            "running" => s_running,
            _ => s_running with { StartedAt = At("2026-06-10T09:00:00Z"), EntryDate = new DateOnly(2026, 6, 10) },
        };

        Assert.Equal(timing, Timing(Accepted(Update(current, json))));
    }

    [Theory]
    // A running entry has no duration yet: stop it first.
    [InlineData("running", """{"duration":"30m"}""", "duration:timer_running")]
    [InlineData("running", """{"durationSeconds":1800}""", "durationSeconds:timer_running")]
    [InlineData("running", """{"durationSeconds":1800,"duration":"1h"}""", "durationSeconds:timer_running")]
    [InlineData("running", """{"durationSeconds":0}""", "durationSeconds:must_be_positive")]
    [InlineData("running", """{"startedAt":"2026-06-11T12:00:01Z"}""", "startedAt:in_the_future")]
    [InlineData("running", """{"startedAt":null}""", "durationSeconds:required")]  // no longer a timer, and no duration
    [InlineData("running", """{"stoppedAt":"2026-06-11T10:00:00Z"}""", "stoppedAt:before_startedAt")]
    [InlineData("running", """{"stoppedAt":"2026-06-11T11:00:00Z"}""", "stoppedAt:before_startedAt")]
    [InlineData("running", """{"stoppedAt":"soon"}""", "stoppedAt:invalid_timestamp")]
    [InlineData("running", """{"userId":"@other"}""", "userId:timer_running")]  // handing over a timer could give its new owner two
    // A stopped entry is not restarted by clearing its stop, nor given a duration while it would run.
    [InlineData("times", """{"stoppedAt":null}""", "stoppedAt:required")]
    [InlineData("times", """{"stoppedAt":null,"durationSeconds":60}""", "durationSeconds:timer_running")]
    [InlineData("times", """{"startedAt":null}""", "startedAt:required")]
    [InlineData("times", """{"stoppedAt":"2026-06-11T09:00:00Z"}""", "stoppedAt:before_startedAt")]
    [InlineData("times", """{"startedAt":"2026-06-11T10:00:01Z"}""", "stoppedAt:before_startedAt")]
    [InlineData("times", """{"startedAt":"2026-06-10T09:59:59Z"}""", "stoppedAt:too_large")]
    [InlineData("times", """{"stoppedAt":"2026-06-12T09:00:01Z"}""", "stoppedAt:too_large")]
    [InlineData("times", """{"startedAt":"1999-12-31T23:59:59Z"}""", "startedAt:invalid")]
    [InlineData("logged", """{"stoppedAt":"2026-06-11T10:00:00Z"}""", "startedAt:required")]
    [InlineData("logged", """{"entryDate":"2026-13-01"}""", "entryDate:invalid_date")]
    public void Patch_refuses_what_would_break_an_entry(string stored, string json, string errors)
    {
        var current = stored switch { "logged" => s_logged, "times" => s_loggedWithTimes, _ => s_running };

        Assert.Equal(errors, Errors(Update(current, json)));
    }

    [Fact]
    public void Times_a_day_apart_are_allowed_and_one_second_more_is_too_large()
    {
        Assert.Equal("86400 2026-06-11T09:00:00Z 2026-06-12T09:00:00Z 2026-06-11", Timing(Accepted(Update(s_loggedWithTimes, """{"stoppedAt":"2026-06-12T09:00:00Z"}"""))));
        Assert.Equal("stoppedAt:too_large", Errors(Update(s_loggedWithTimes, """{"stoppedAt":"2026-06-12T09:00:01Z"}""")));
    }

    [Theory]
    // Data stored before the bounds were enforced must give a 422, never overflow into a 500.
    [InlineData("0001-01-01T00:00:00Z", 3600L, """{"durationSeconds":60}""", "startedAt:invalid")]
    [InlineData("1990-01-01T00:00:00Z", 3600L, """{"duration":"1h"}""", "startedAt:invalid")]
    [InlineData(null, long.MaxValue, """{"startedAt":"2026-06-11T08:00:00Z"}""", "durationSeconds:too_large")]
    [InlineData(null, -5L, """{"startedAt":"2026-06-11T08:00:00Z"}""", "durationSeconds:too_large")]
    public void Stored_values_outside_the_bounds_are_refused_rather_than_overflow(string? startedAt, long duration, string json, string errors)
    {
        var start = startedAt is null ? (DateTime?)null : At(startedAt);
        var current = s_logged with { DurationSeconds = duration, StartedAt = start, StoppedAt = start?.AddHours(1) };

        Assert.Equal(errors, Errors(Update(current, json)));
    }

    [Theory]
    [InlineData("""{"projectId":"@B"}""", null, "B -")]
    [InlineData("""{"projectId":"@A"}""", "@tA", "A tA")]                            // the same project: nothing moves
    [InlineData("""{"projectId":"@B","taskId":"@tB"}""", "@tA", "B tB")]             // the task moves with it
    [InlineData("""{"projectId":"@B","taskId":null}""", "@tA", "B -")]               // or is cleared
    [InlineData("""{"taskId":"@tA2"}""", "@tA", "A tA2")]
    [InlineData("""{"projectId":"@B"}""", "@tA", "taskId:not_in_project")]           // the kept task is not in the new project
    [InlineData("""{"taskId":"@tB"}""", "@tA", "taskId:not_in_project")]
    [InlineData("""{"projectId":"@Off"}""", null, "projectId:not_found")]
    [InlineData("""{"projectId":"@Off","taskId":"@tB"}""", "@tA", "projectId:not_found")]
    [InlineData("""{"projectId":"nope","taskId":"@tB"}""", "@tA", "projectId:not_a_uuid")]
    [InlineData("""{"projectId":"@B","taskId":"@tOff"}""", "@tA", "taskId:not_found")]
    public void Moving_an_entry_keeps_its_task_in_its_project(string json, string? storedTask, string expected)
    {
        var current = s_logged with { TaskId = storedTask is null ? null : s_taskA.Id };

        var outcome = Update(current, json);

        var described = outcome.Entry is { } entry
            ? $"{s_names.Single(n => n.Id == entry.ProjectId).Name[1..]} {(entry.TaskId is { } t ? s_names.Single(n => n.Id == t).Name[1..] : "-")}"
            : Errors(outcome);
        Assert.Equal(expected, described);
    }

    [Fact]
    public void A_task_that_moved_to_another_project_is_not_in_the_entrys_project_after_a_move()
    {
        // The stored task now belongs to B: moving the entry to A (where it was) is refused while the task stays.
        var current = s_logged with { ProjectId = s_b.Id, TaskId = s_taskA.Id };
        var body = Body("""{"projectId":"@A"}""");
        var facts = new TimeEntryFacts(NamedProject: s_a, CurrentProject: s_b, CurrentTask: s_taskA with { ProjectId = s_b.Id });

        Assert.Equal("taskId:not_in_project", Errors(TimeEntryRules.Update(current, body, s_owner, facts, s_now)));
    }

    [Fact]
    public void A_stored_task_that_no_longer_exists_is_not_in_any_project()
    {
        var current = s_logged with { TaskId = Id(0xdead) };

        Assert.Equal("taskId:not_in_project", Errors(Update(current, """{"projectId":"@B"}""")));
        Assert.True(Accepted(Update(current with { Billable = false }, """{"billable":null}""")).Billable);
    }

    [Theory]
    [InlineData("owner", "@other", "other")]
    [InlineData("owner", "@me", "me")]
    [InlineData("member", "@me", "me")]                   // naming the same person is no reassignment
    [InlineData("manager", "@me", "me")]
    [InlineData("owner", "@removed", "userId:not_found")]
    [InlineData("owner", "nope", "userId:not_a_uuid")]
    [InlineData("member", "nope", "userId:not_a_uuid")]
    // Without time_entries:reassign the handler answers 403 first; the rule refuses on its own too.
    [InlineData("manager", "@other", "userId:read_only")]
    [InlineData("member", "@other", "userId:read_only")]
    public void Reassigning_an_entry_needs_the_reassign_right_and_an_active_member(string role, string userId, string expected)
    {
        var writer = role switch { "owner" => s_owner, "manager" => s_manager, _ => s_member };

        var outcome = Update(s_logged, $$"""{"userId":"{{userId}}"}""", writer);

        Assert.Equal(expected, outcome.Entry is { } entry ? (entry.MemberId == s_me ? "me" : "other") : Errors(outcome));
    }

    [Theory]
    [InlineData("A", null, """{"billable":null}""", true)]
    [InlineData("A", "@tA2", """{"billable":null}""", false)]     // sent as null: the task's flag
    [InlineData("A", "@tA2", """{"note":"x"}""", true)]           // not sent: as stored
    [InlineData("A", null, """{"billable":false}""", false)]
    [InlineData("N", null, """{"billable":true}""", false)]       // never on a NON_BILLABLE project
    [InlineData("N", null, """{"note":"x"}""", false)]            // not even one stored so before
    [InlineData("A", null, """{"projectId":"@N"}""", false)]      // moving there clears it
    [InlineData("A", "@tA2", """{"taskId":"@tA","billable":null}""", true)]
    public void Patch_billable_follows_the_same_rule(string project, string? task, string json, bool billable)
    {
        var current = s_logged with { ProjectId = project == "N" ? s_n.Id : s_a.Id, TaskId = task is null ? null : s_unbilledTaskA.Id, Billable = true };

        Assert.Equal(billable, Accepted(Update(current, json)).Billable);
    }

    [Fact]
    public void Patch_does_not_touch_the_invoice()
    {
        var locked = s_logged with { InvoiceId = s_invoice };

        Assert.Equal(s_invoice, Accepted(Update(locked, """{"note":"x","invoiceId":null}""")).InvoiceId);
    }

    // ---- stop and the one-timer rule -----------------------------------------------------------

    [Theory]
    [InlineData("2026-06-11T11:00:00Z", "2026-06-11T12:00:00Z", 3600)]
    [InlineData("2026-06-11T11:59:59Z", "2026-06-11T12:00:00Z", 1)]
    [InlineData("2026-06-11T12:00:00Z", "2026-06-11T12:00:00Z", 0)]
    [InlineData("2026-06-10T23:00:00Z", "2026-06-11T00:30:00Z", 5400)]     // across midnight
    [InlineData("2026-06-09T12:00:00Z", "2026-06-11T12:00:00Z", 172800)]   // a forgotten timer keeps what it measured
    public void Stop_ends_a_timer_at_now_with_the_whole_seconds_it_ran(string startedAt, string now, long seconds)
    {
        var timer = s_running with { StartedAt = At(startedAt) };

        var stopped = TimeEntryRules.Stop(timer, At(now));

        Assert.Equal(timer with { StoppedAt = At(now), DurationSeconds = seconds }, stopped);
        Assert.False(stopped.IsRunning);
    }

    [Fact]
    public void Stopping_an_entry_that_is_not_running_changes_nothing()
    {
        Assert.Same(s_logged, TimeEntryRules.Stop(s_logged, s_now));
        Assert.Same(s_loggedWithTimes, TimeEntryRules.Stop(s_loggedWithTimes, s_now));
    }

    [Theory]
    [InlineData("same", false, TimerStart.AlreadyRunning)]
    [InlineData("same", true, TimerStart.AlreadyRunning)]        // starting the timer that runs changes nothing, locked or not
    [InlineData("other note", false, TimerStart.StopsRunning)]
    [InlineData("other task", false, TimerStart.StopsRunning)]
    [InlineData("other project", false, TimerStart.StopsRunning)]
    [InlineData("other note", true, TimerStart.RunningIsLocked)]
    public void Starting_a_timer_stops_the_running_one_unless_it_is_the_same_or_locked(string difference, bool locked, TimerStart expected)
    {
        var running = s_running with { TaskId = s_taskA.Id, Note = "Design", InvoiceId = locked ? s_invoice : null };
        var starting = (running with { InvoiceId = null, StartedAt = s_now }) switch
        {
            var same when difference == "same" => same,
            var other when difference == "other note" => other with { Note = "Build" },
            var other when difference == "other task" => other with { TaskId = null },
            var other => other with { ProjectId = s_b.Id },
        };

        Assert.Equal(expected, TimeEntryRules.WhenStarting(starting, running));
    }

    [Fact]
    public void Now_is_taken_to_the_whole_second_in_utc()
    {
        var now = TimeEntryRules.WholeSeconds(new DateTime(2026, 6, 11, 12, 0, 0, 999, DateTimeKind.Unspecified).AddTicks(9999));

        Assert.Equal(new DateTime(2026, 6, 11, 12, 0, 0, DateTimeKind.Utc), now);
        Assert.Equal(DateTimeKind.Utc, now.Kind);
    }
}
