using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Configurations;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

public class TimeEntryTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Entries = "/api/v1/time-entries";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal sealed record Setup(TestWorkspace Workspace, HttpClient Owner, Guid ClientId, Guid ProjectId);

    private Task<Setup> SetupAsync() => SetupAsync(factory);

    internal static async Task<Setup> SetupAsync(ApiFactory factory)
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var owner = workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);
        var clientId = await IdOfAsync(await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Acme" }));
        var projectId = await ProjectAsync(owner, clientId, "Website");
        return new Setup(workspace, owner, clientId, projectId);
    }

    private static async Task<Guid> IdOfAsync(HttpResponseMessage response)
    {
        Assert.True((int)response.StatusCode is 200 or 201, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
    }

    private static async Task<Guid> ProjectAsync(HttpClient owner, Guid clientId, string name, string rateType = "HOURLY") =>
        await IdOfAsync(await owner.PostAsJsonAsync("/api/v1/projects", new { clientId, name, rateType }));

    /// <summary>Tasks get their own endpoints elsewhere; here they are rows.</summary>
    private Task<Guid> TaskAsync(Setup setup, Guid projectId, bool billable = true) => factory.WithDbAsync(async db =>
    {
        var task = new WorkTask { WorkspaceId = setup.Workspace.Id, ProjectId = projectId, Name = "Task", Billable = billable, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return task.Id;
    });

    /// <summary>Puts the entry on a real invoice row, as sending an invoice would.</summary>
    private Task<int> LockAsync(Setup setup, Guid entryId) => factory.WithDbAsync(async db =>
    {
        var invoice = new Invoice
        {
            WorkspaceId = setup.Workspace.Id,
            ClientId = setup.ClientId,
            Number = $"INV-{Guid.NewGuid():N}"[..12],
            Currency = "EUR",
            Status = InvoiceStatus.Sent,
            IssueDate = new DateOnly(2026, 6, 30),
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };
        db.Invoices.Add(invoice);
        await db.SaveChangesAsync();
        return await db.TimeEntries.Where(e => e.Id == entryId).ExecuteUpdateAsync(s => s.SetProperty(e => e.InvoiceId, invoice.Id));
    });

    private static async Task<JsonElement> CreateAsync(HttpClient client, object body, int status = 201)
    {
        var response = await client.PostAsJsonAsync(Entries, body);
        Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.ReadJsonAsync()).GetProperty("data");
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data");
    }

    private static async Task<List<Guid>> ListIdsAsync(HttpClient client, string query = "") =>
        [.. (await GetAsync(client, Entries + query)).EnumerateArray().Select(e => e.GetProperty("id").GetGuid())];

    private static Guid Id(JsonElement entry) => entry.GetProperty("id").GetGuid();

    private static string Iso(DateTime value) => value.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> FieldErrorAsync(HttpResponseMessage response, string field) =>
        (await response.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty(field).GetString()!;

    // ---- durations -------------------------------------------------------------------------

    [Theory]
    [InlineData("{\"durationSeconds\":5400}", 5400)]
    [InlineData("{\"durationSeconds\":\"5400\"}", 5400)]
    [InlineData("{\"duration\":\"1h30m\"}", 5400)]
    [InlineData("{\"duration\":\"1h 30m\"}", 5400)]
    [InlineData("{\"duration\":\"90m\"}", 5400)]
    [InlineData("{\"duration\":\"1.5h\"}", 5400)]
    [InlineData("{\"duration\":\"1:30\"}", 5400)]
    [InlineData("{\"duration\":\"1:30:15\"}", 5415)]
    [InlineData("{\"duration\":\"2\"}", 7200)]
    [InlineData("{\"durationSeconds\":null,\"duration\":\"45m\"}", 2700)]
    public async Task Time_is_logged_as_duration_seconds_or_as_a_human_duration(string durationJson, long expected)
    {
        var setup = await SetupAsync();
        var json = durationJson.TrimEnd('}') + $",\"projectId\":\"{setup.ProjectId}\",\"entryDate\":\"2026-06-11\",\"note\":\"Homepage\"}}";

        var response = await setup.Owner.PostAsync(Entries, Json(json));

        Assert.Equal(201, (int)response.StatusCode);
        var entry = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(expected, entry.GetProperty("durationSeconds").GetInt64());
        Assert.Equal("2026-06-11", entry.GetProperty("entryDate").GetString());
        Assert.False(entry.GetProperty("running").GetBoolean());
        Assert.Equal($"/api/v1/time-entries/{Id(entry)}", response.Headers.Location?.OriginalString);
        Assert.Equal(expected, (await GetAsync(setup.Owner, $"{Entries}/{Id(entry)}")).GetProperty("durationSeconds").GetInt64());
    }

    [Fact]
    public async Task When_both_forms_are_sent_duration_seconds_wins()
    {
        var setup = await SetupAsync();

        var entry = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 60, duration = "8h" });
        var evenOverGarbage = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 120, duration = "garbage" });

        Assert.Equal(60, entry.GetProperty("durationSeconds").GetInt64());
        Assert.Equal(120, evenOverGarbage.GetProperty("durationSeconds").GetInt64());
    }

    [Theory]
    [InlineData("\"duration\":\"garbage\"", "duration", "invalid")]
    [InlineData("\"duration\":\"0\"", "duration", "invalid")]
    [InlineData("\"duration\":\"0h\"", "duration", "invalid")]
    [InlineData("\"duration\":\"-1h\"", "duration", "invalid")]
    [InlineData("\"duration\":\"1,5h\"", "duration", "invalid")]
    [InlineData("\"duration\":\"25h\"", "duration", "too_large")]
    [InlineData("\"durationSeconds\":0", "durationSeconds", "must_be_positive")]
    [InlineData("\"durationSeconds\":-60", "durationSeconds", "must_be_positive")]
    [InlineData("\"durationSeconds\":90.5", "durationSeconds", "not_an_integer")]
    [InlineData("\"durationSeconds\":\"90m\"", "durationSeconds", "not_an_integer")]
    [InlineData("\"durationSeconds\":86401", "durationSeconds", "too_large")]
    public async Task Bad_durations_are_422_on_the_field_sent_and_start_no_timer(string durationJson, string field, string reason)
    {
        var setup = await SetupAsync();

        var response = await setup.Owner.PostAsync(Entries, Json($"{{\"projectId\":\"{setup.ProjectId}\",\"entryDate\":\"2026-06-11\",{durationJson}}}"));

        Assert.Equal(reason, await FieldErrorAsync(response, field));
        Assert.Empty(await ListIdsAsync(setup.Owner));
    }

    [Fact]
    public async Task A_duration_of_exactly_a_day_is_accepted()
    {
        var setup = await SetupAsync();

        var entry = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 86400 });

        Assert.Equal(86400, entry.GetProperty("durationSeconds").GetInt64());
    }

    // ---- validation ------------------------------------------------------------------------

    [Theory]
    [InlineData("{\"entryDate\":\"2026-06-11\",\"durationSeconds\":60}", "projectId", "required")]
    [InlineData("{\"projectId\":\"nope\",\"entryDate\":\"2026-06-11\",\"durationSeconds\":60}", "projectId", "not_a_uuid")]
    [InlineData("{\"projectId\":\"00000000-0000-4000-8000-000000000000\",\"entryDate\":\"2026-06-11\",\"durationSeconds\":60}", "projectId", "not_found")]
    [InlineData("{\"projectId\":\"$project\",\"durationSeconds\":60}", "entryDate", "required")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"11/06/2026\",\"durationSeconds\":60}", "entryDate", "invalid_date")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"2026-06-11\",\"durationSeconds\":60,\"taskId\":\"00000000-0000-4000-8000-000000000000\"}", "taskId", "not_found")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"2026-06-11\",\"durationSeconds\":60,\"taskId\":\"x\"}", "taskId", "not_a_uuid")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"2026-06-11\",\"durationSeconds\":60,\"note\":\"$longNote\"}", "note", "too_long")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"2026-06-11\",\"durationSeconds\":60,\"userId\":\"00000000-0000-4000-8000-000000000000\"}", "userId", "not_found")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"2026-06-11\",\"stoppedAt\":\"2026-06-11T10:00:00Z\"}", "startedAt", "required")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"2026-06-11\",\"startedAt\":\"2026-06-11T10:00:00Z\",\"stoppedAt\":\"2026-06-11T09:00:00Z\"}", "stoppedAt", "before_startedAt")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"2026-06-11\",\"startedAt\":\"2026-06-11T10:00:00Z\",\"stoppedAt\":\"2026-06-11T10:00:00Z\"}", "stoppedAt", "before_startedAt")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"2026-06-11\",\"startedAt\":\"2026-06-10T09:00:00Z\",\"stoppedAt\":\"2026-06-11T10:00:00Z\"}", "stoppedAt", "too_large")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"2026-06-11\",\"startedAt\":\"yesterday\"}", "startedAt", "invalid_timestamp")]
    [InlineData("{\"projectId\":\"$project\",\"startedAt\":\"2099-01-01T09:00:00Z\"}", "startedAt", "in_the_future")]
    [InlineData("{\"projectId\":\"$project\",\"startedAt\":\"2999-01-01T09:00:00Z\"}", "startedAt", "invalid")]
    [InlineData("{\"projectId\":\"$project\",\"entryDate\":\"9999-12-31\",\"durationSeconds\":60}", "entryDate", "invalid")]
    public async Task Invalid_entries_are_422_naming_the_field(string json, string field, string reason)
    {
        var setup = await SetupAsync();
        json = json.Replace("$project", setup.ProjectId.ToString(), StringComparison.Ordinal).Replace("$longNote", new string('n', 2001), StringComparison.Ordinal);

        var response = await setup.Owner.PostAsync(Entries, Json(json));

        Assert.Equal(reason, await FieldErrorAsync(response, field));
        Assert.Empty(await ListIdsAsync(setup.Owner));
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once()
    {
        var setup = await SetupAsync();

        var response = await setup.Owner.PostAsJsonAsync(Entries, new { projectId = "nope", entryDate = "June", duration = "lots", note = new string('n', 2001) });

        var fields = (await response.AssertErrorAsync(422, "validation_error")).GetProperty("fields");
        Assert.Equal("not_a_uuid", fields.GetProperty("projectId").GetString());
        Assert.Equal("invalid_date", fields.GetProperty("entryDate").GetString());
        Assert.Equal("invalid", fields.GetProperty("duration").GetString());
        Assert.Equal("too_long", fields.GetProperty("note").GetString());
    }

    [Fact]
    public async Task Wrong_json_types_are_400()
    {
        var setup = await SetupAsync();

        var response = await setup.Owner.PostAsync(Entries, Json($"{{\"projectId\":\"{setup.ProjectId}\",\"entryDate\":\"2026-06-11\",\"durationSeconds\":60,\"billable\":\"yes\"}}"));

        await response.AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task Start_and_stop_times_without_a_duration_give_the_duration()
    {
        var setup = await SetupAsync();

        var entry = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", startedAt = "2026-06-11T09:00:00Z", stoppedAt = "2026-06-11T10:30:15Z" });

        Assert.Equal(5415, entry.GetProperty("durationSeconds").GetInt64());
        Assert.Equal("2026-06-11T09:00:00Z", entry.GetProperty("startedAt").GetString());
        Assert.Equal("2026-06-11T10:30:15Z", entry.GetProperty("stoppedAt").GetString());
        Assert.False(entry.GetProperty("running").GetBoolean());
    }

    [Fact]
    public async Task A_duration_with_a_start_time_ends_after_that_duration()
    {
        var setup = await SetupAsync();

        var entry = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", startedAt = "2026-06-11T09:00:00Z", duration = "1h30m" });

        Assert.Equal(5400, entry.GetProperty("durationSeconds").GetInt64());
        Assert.Equal("2026-06-11T10:30:00Z", entry.GetProperty("stoppedAt").GetString());
        Assert.False(entry.GetProperty("running").GetBoolean());
    }

    [Fact]
    public async Task The_task_must_belong_to_the_entrys_project_also_after_a_move()
    {
        var setup = await SetupAsync();
        var otherProject = await ProjectAsync(setup.Owner, setup.ClientId, "Other");
        var task = await TaskAsync(setup, setup.ProjectId);
        var otherTask = await TaskAsync(setup, otherProject);

        var refused = await setup.Owner.PostAsJsonAsync(Entries, new { projectId = setup.ProjectId, taskId = otherTask, entryDate = "2026-06-11", durationSeconds = 60 });
        Assert.Equal("not_in_project", await FieldErrorAsync(refused, "taskId"));

        var entry = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, taskId = task, entryDate = "2026-06-11", durationSeconds = 60 }));

        // Moving the entry keeps its task, which is not in the new project...
        var moved = await setup.Owner.PatchAsJsonAsync($"{Entries}/{entry}", new { projectId = otherProject });
        Assert.Equal("not_in_project", await FieldErrorAsync(moved, "taskId"));

        // ... unless the task moves (or is cleared) with it.
        var withTask = await setup.Owner.PatchAsJsonAsync($"{Entries}/{entry}", new { projectId = otherProject, taskId = otherTask });
        Assert.Equal(otherTask, (await withTask.ReadJsonAsync()).GetProperty("data").GetProperty("taskId").GetGuid());
        var cleared = await setup.Owner.PatchAsJsonAsync($"{Entries}/{entry}", new { projectId = setup.ProjectId, taskId = (Guid?)null });
        Assert.Equal(JsonValueKind.Null, (await cleared.ReadJsonAsync()).GetProperty("data").GetProperty("taskId").ValueKind);
    }

    [Fact]
    public async Task Billable_follows_the_task_else_true_and_is_never_set_on_a_non_billable_project()
    {
        var setup = await SetupAsync();
        var internalProject = await ProjectAsync(setup.Owner, setup.ClientId, "Internal", "NON_BILLABLE");
        var unbilledTask = await TaskAsync(setup, setup.ProjectId, billable: false);

        Assert.True((await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 60 })).GetProperty("billable").GetBoolean());
        Assert.False((await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, taskId = unbilledTask, entryDate = "2026-06-11", durationSeconds = 60 })).GetProperty("billable").GetBoolean());
        Assert.True((await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, taskId = unbilledTask, billable = true, entryDate = "2026-06-11", durationSeconds = 60 })).GetProperty("billable").GetBoolean());
        var onInternal = await CreateAsync(setup.Owner, new { projectId = internalProject, billable = true, entryDate = "2026-06-11", durationSeconds = 60 });
        Assert.False(onInternal.GetProperty("billable").GetBoolean());

        var patched = await setup.Owner.PatchAsJsonAsync($"{Entries}/{Id(onInternal)}", new { billable = true });
        Assert.False((await patched.ReadJsonAsync()).GetProperty("data").GetProperty("billable").GetBoolean());
    }

    // ---- timer -----------------------------------------------------------------------------

    [Fact]
    public async Task A_post_without_a_duration_starts_a_timer_that_stop_ends()
    {
        var setup = await SetupAsync();
        var startedAt = DateTime.UtcNow.AddHours(-2);

        var started = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, note = "Deep work", startedAt = Iso(startedAt) });

        Assert.True(started.GetProperty("running").GetBoolean());
        Assert.Equal(JsonValueKind.Null, started.GetProperty("durationSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, started.GetProperty("stoppedAt").ValueKind);
        Assert.Equal(Iso(startedAt), started.GetProperty("startedAt").GetString());
        Assert.Equal(startedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), started.GetProperty("entryDate").GetString());
        Assert.Equal(Id(started), Id(await GetAsync(setup.Owner, $"{Entries}/running")));

        var stopped = await setup.Owner.PostAsync($"{Entries}/{Id(started)}/stop", null);

        Assert.Equal(200, (int)stopped.StatusCode);
        var entry = (await stopped.ReadJsonAsync()).GetProperty("data");
        Assert.False(entry.GetProperty("running").GetBoolean());
        var elapsed = entry.GetProperty("stoppedAt").GetDateTime() - entry.GetProperty("startedAt").GetDateTime();
        Assert.Equal((long)elapsed.TotalSeconds, entry.GetProperty("durationSeconds").GetInt64());
        Assert.True(entry.GetProperty("durationSeconds").GetInt64() >= 7200);
        Assert.Equal(JsonValueKind.Null, (await GetAsync(setup.Owner, $"{Entries}/running")).ValueKind);

        // Stopping again answers the entry unchanged.
        var again = await setup.Owner.PostAsync($"{Entries}/{Id(started)}/stop", null);
        Assert.Equal(200, (int)again.StatusCode);
        Assert.Equal(entry.GetRawText(), (await again.ReadJsonAsync()).GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task The_references_sample_without_a_duration_is_422_and_stops_no_running_timer()
    {
        var setup = await SetupAsync();
        var timer = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, note = "Running", startedAt = Iso(DateTime.UtcNow.AddMinutes(-5)) }));

        // {projectId, entryDate}: the docs say creating requires a duration; it never starts a timer.
        var response = await setup.Owner.PostAsJsonAsync(Entries, new { projectId = setup.ProjectId, entryDate = "2026-06-11" });

        Assert.Equal("required", await FieldErrorAsync(response, "durationSeconds"));
        var running = await (await setup.Owner.GetAsync($"{Entries}/running")).ReadJsonAsync();
        Assert.Equal(timer, running.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Single(await ListIdsAsync(setup.Owner));
    }

    [Fact]
    public async Task StartedAt_alone_starts_a_timer_dated_by_it()
    {
        var setup = await SetupAsync();
        var startedAt = DateTime.UtcNow.AddMinutes(-1);

        var started = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(startedAt) });

        Assert.True(started.GetProperty("running").GetBoolean());
        Assert.Equal(Iso(startedAt), started.GetProperty("startedAt").GetString());
        Assert.Equal(DateOnly.FromDateTime(startedAt).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), started.GetProperty("entryDate").GetString());
    }

    [Fact]
    public async Task Starting_a_timer_stops_the_persons_running_one_which_is_kept_as_a_normal_entry()
    {
        var setup = await SetupAsync();
        var first = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, note = "Design", startedAt = Iso(DateTime.UtcNow.AddMinutes(-30)) });

        var second = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), note = "Build" });

        var stopped = await GetAsync(setup.Owner, $"{Entries}/{Id(first)}");
        Assert.False(stopped.GetProperty("running").GetBoolean());
        Assert.True(stopped.GetProperty("durationSeconds").GetInt64() >= 1800);
        Assert.Equal(JsonValueKind.String, stopped.GetProperty("stoppedAt").ValueKind);
        Assert.Equal("Design", stopped.GetProperty("note").GetString());
        Assert.Equal(Id(second), Id(await GetAsync(setup.Owner, $"{Entries}/running")));
        Assert.Equal([Id(second)], await ListIdsAsync(setup.Owner, "?running=true"));
        Assert.Equal([Id(first)], await ListIdsAsync(setup.Owner, "?running=false"));
    }

    [Fact]
    public async Task Timers_started_at_once_for_one_person_all_start_in_turn_and_leave_exactly_one_running()
    {
        // Every POST runs in a transaction (idempotency): the starts take turns, none is refused.
        var statuses = await StartAtOnceAsync(await SetupAsync(), starts: 8);
        Assert.All(statuses, status => Assert.Equal(201, status));
    }

    /// <summary>
    /// Starts <paramref name="starts"/> timers for the owner at once, then checks the one-timer rule held:
    /// exactly one runs, it is one of those created, and every other created one was stopped. Returns the statuses.
    /// </summary>
    internal static async Task<int[]> StartAtOnceAsync(Setup setup, int starts)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, starts)
            .Select(i => setup.Owner.PostAsJsonAsync(Entries, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), note = $"Timer {i}" })));

        var created = new List<Guid>();
        foreach (var response in responses)
        {
            var body = await response.ReadJsonAsync();
            // 409 only when it lost the race again and again; it then created nothing (a retry is safe).
            Assert.True((int)response.StatusCode is 201 or 409, $"{(int)response.StatusCode}: {body}");
            if ((int)response.StatusCode == 201)
            {
                created.Add(Id(body.GetProperty("data")));
            }
        }

        Assert.NotEmpty(created);
        var running = Assert.Single(await ListIdsAsync(setup.Owner, "?running=true"));
        Assert.Contains(running, created);
        Assert.Equal(running, Id(await GetAsync(setup.Owner, $"{Entries}/running")));
        Assert.Equal(created.Where(id => id != running).Order(), (await ListIdsAsync(setup.Owner, "?running=false")).Order());
        return [.. responses.Select(r => (int)r.StatusCode)];
    }

    [Fact]
    public async Task The_database_refuses_a_second_running_timer_for_one_person()
    {
        var setup = await SetupAsync();
        var first = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), note = "Design" });

        var refused = await factory.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            db.TimeEntries.Add(new TimeEntry
            {
                WorkspaceId = setup.Workspace.Id,
                MemberId = setup.Workspace.OwnerId,
                ProjectId = setup.ProjectId,
                Note = "Behind the API's back",
                EntryDate = DateOnly.FromDateTime(now),
                StartedAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            });
            var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            return DatabaseErrors.IsUniqueViolation(error, TimeEntryConfiguration.OneRunningTimerIndex);
        });

        Assert.True(refused);
        Assert.Equal([Id(first)], await ListIdsAsync(setup.Owner, "?running=true"));
    }

    [Fact]
    public async Task Starting_the_timer_that_already_runs_changes_nothing()
    {
        var setup = await SetupAsync();
        var task = await TaskAsync(setup, setup.ProjectId);
        var running = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), taskId = task, note = "Design" });

        var again = await setup.Owner.PostAsJsonAsync(Entries, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), taskId = task, note = "Design" });

        Assert.Equal(200, (int)again.StatusCode);
        Assert.Equal(running.GetRawText(), (await again.ReadJsonAsync()).GetProperty("data").GetRawText());
        Assert.Equal([Id(running)], await ListIdsAsync(setup.Owner));
    }

    [Fact]
    public async Task No_edit_gives_a_person_a_second_running_timer()
    {
        var setup = await SetupAsync();
        var (otherId, _) = await setup.Workspace.TokenForRoleAsync(Role.Member);
        var ownersTimer = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), note = "Owner" });
        var othersTimer = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), userId = otherId, note = "Other" });
        var logged = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", startedAt = "2026-06-11T09:00:00Z", stoppedAt = "2026-06-11T10:00:00Z" });

        // A running entry is not handed to someone else, and a stopped one is not restarted by an edit.
        var reassign = await setup.Owner.PatchAsJsonAsync($"{Entries}/{Id(othersTimer)}", new { userId = setup.Workspace.OwnerId, note = "Moved" });
        Assert.Equal("timer_running", await FieldErrorAsync(reassign, "userId"));
        var restart = await setup.Owner.PatchAsJsonAsync($"{Entries}/{Id(logged)}", new { stoppedAt = (string?)null });
        Assert.Equal("required", await FieldErrorAsync(restart, "stoppedAt"));

        Assert.Equal(othersTimer.GetRawText(), (await GetAsync(setup.Owner, $"{Entries}/{Id(othersTimer)}")).GetRawText());
        Assert.Equal(logged.GetRawText(), (await GetAsync(setup.Owner, $"{Entries}/{Id(logged)}")).GetRawText());
        Assert.Equal(Id(ownersTimer), Id(await GetAsync(setup.Owner, $"{Entries}/running")));
        Assert.Equal(new[] { Id(othersTimer), Id(ownersTimer) }.Order(), (await ListIdsAsync(setup.Owner, "?running=true")).Order());
    }

    [Fact]
    public async Task The_one_timer_rule_is_per_person()
    {
        var setup = await SetupAsync();
        var (managerId, managerToken) = await setup.Workspace.TokenForRoleAsync(Role.Manager);
        var (otherId, _) = await setup.Workspace.TokenForRoleAsync(Role.Member);
        using var manager = setup.Workspace.Client(managerToken);
        var ownersTimer = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), note = "Owner" });
        var othersTimer = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), userId = otherId, note = "Other" });

        var managersTimer = await CreateAsync(manager, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), note = "Manager" });

        Assert.Equal(managerId, managersTimer.GetProperty("userId").GetGuid());
        Assert.Equal(otherId, othersTimer.GetProperty("userId").GetGuid());
        Assert.Equal(Id(ownersTimer), Id(await GetAsync(setup.Owner, $"{Entries}/running")));
        Assert.Equal(Id(managersTimer), Id(await GetAsync(manager, $"{Entries}/running")));
        Assert.Equal(3, (await ListIdsAsync(setup.Owner, "?running=true")).Count);

        // Starting a timer for someone stops theirs, not the caller's.
        await CreateAsync(manager, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), userId = otherId, note = "Other, again" });
        Assert.False((await GetAsync(setup.Owner, $"{Entries}/{Id(othersTimer)}")).GetProperty("running").GetBoolean());
        Assert.True((await GetAsync(setup.Owner, $"{Entries}/{Id(managersTimer)}")).GetProperty("running").GetBoolean());
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("No", false)]
    public async Task The_running_filter_takes_the_documented_booleans(string value, bool running)
    {
        var setup = await SetupAsync();
        var logged = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 60 }));
        var timer = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow) }));

        Assert.Equal([running ? timer : logged], await ListIdsAsync(setup.Owner, $"?running={value}"));
        Assert.Equal(new[] { timer, logged }.Order(), (await ListIdsAsync(setup.Owner)).Order());
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("2")]
    [InlineData("y")]
    public async Task A_bad_running_filter_is_400(string value)
    {
        var setup = await SetupAsync();

        await (await setup.Owner.GetAsync($"{Entries}?running={value}")).AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task A_running_entry_takes_no_duration_but_stops_when_given_a_stop_time()
    {
        var setup = await SetupAsync();
        var startedAt = DateTime.UtcNow.AddHours(-1);
        var timer = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(startedAt) }));

        var refused = await setup.Owner.PatchAsJsonAsync($"{Entries}/{timer}", new { duration = "30m" });
        Assert.Equal("timer_running", await FieldErrorAsync(refused, "duration"));

        var note = await setup.Owner.PatchAsJsonAsync($"{Entries}/{timer}", new { note = "Still going" });
        Assert.True((await note.ReadJsonAsync()).GetProperty("data").GetProperty("running").GetBoolean());

        var stopped = await setup.Owner.PatchAsJsonAsync($"{Entries}/{timer}", new { stoppedAt = Iso(startedAt.AddMinutes(45)) });
        var entry = (await stopped.ReadJsonAsync()).GetProperty("data");
        Assert.False(entry.GetProperty("running").GetBoolean());
        Assert.Equal(2700, entry.GetProperty("durationSeconds").GetInt64());
        Assert.Equal("Still going", entry.GetProperty("note").GetString());
    }

    // ---- PATCH ------------------------------------------------------------------------------

    [Fact]
    public async Task Patch_changes_only_what_is_sent_with_the_same_duration_rule()
    {
        var setup = await SetupAsync();
        var id = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", duration = "1h", note = "Review" }));

        var both = await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { durationSeconds = 600, duration = "2h" });
        Assert.Equal(600, (await both.ReadJsonAsync()).GetProperty("data").GetProperty("durationSeconds").GetInt64());

        var human = await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { duration = "2h" });
        var entry = (await human.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(7200, entry.GetProperty("durationSeconds").GetInt64());
        Assert.Equal("Review", entry.GetProperty("note").GetString());
        Assert.Equal("2026-06-11", entry.GetProperty("entryDate").GetString());

        var bad = await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { duration = "soon" });
        Assert.Equal("invalid", await FieldErrorAsync(bad, "duration"));

        var cleared = await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { note = (string?)null, entryDate = "2026-06-12" });
        entry = (await cleared.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("note").ValueKind);
        Assert.Equal("2026-06-12", entry.GetProperty("entryDate").GetString());
        Assert.Equal(7200, entry.GetProperty("durationSeconds").GetInt64());

        var noDate = await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { entryDate = (string?)null });
        Assert.Equal("required", await FieldErrorAsync(noDate, "entryDate"));
    }

    [Fact]
    public async Task Patching_the_times_of_a_logged_entry_keeps_duration_and_times_in_step()
    {
        var setup = await SetupAsync();
        var id = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", startedAt = "2026-06-11T09:00:00Z", stoppedAt = "2026-06-11T10:00:00Z" }));

        var later = await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { stoppedAt = "2026-06-11T11:00:00Z" });
        Assert.Equal(7200, (await later.ReadJsonAsync()).GetProperty("data").GetProperty("durationSeconds").GetInt64());

        var shorter = await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { durationSeconds = 1800 });
        Assert.Equal("2026-06-11T09:30:00Z", (await shorter.ReadJsonAsync()).GetProperty("data").GetProperty("stoppedAt").GetString());

        var restart = await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { stoppedAt = (string?)null });
        Assert.Equal("required", await FieldErrorAsync(restart, "stoppedAt"));
    }

    // ---- who may do what -------------------------------------------------------------------

    [Fact]
    public async Task Members_log_only_their_own_time_whatever_user_id_they_send()
    {
        var setup = await SetupAsync();
        var (memberId, memberToken) = await setup.Workspace.TokenForRoleAsync(Role.Member);
        using var member = setup.Workspace.Client(memberToken);
        await setup.Owner.PostAsJsonAsync($"/api/v1/projects/{setup.ProjectId}/members", new { userId = memberId });

        var entry = await CreateAsync(member, new { projectId = setup.ProjectId, userId = setup.Workspace.OwnerId, entryDate = "2026-06-11", durationSeconds = 60 });

        Assert.Equal(memberId, entry.GetProperty("userId").GetGuid());
        var reassign = await member.PatchAsJsonAsync($"{Entries}/{Id(entry)}", new { userId = setup.Workspace.OwnerId });
        await reassign.AssertErrorAsync(403, "forbidden_scope");
        var same = await member.PatchAsJsonAsync($"{Entries}/{Id(entry)}", new { userId = memberId, note = "Mine" });
        Assert.Equal(200, (int)same.StatusCode);
    }

    [Fact]
    public async Task Members_never_see_or_touch_other_peoples_entries()
    {
        var setup = await SetupAsync();
        var (memberId, memberToken) = await setup.Workspace.TokenForRoleAsync(Role.Member);
        using var member = setup.Workspace.Client(memberToken);
        await setup.Owner.PostAsJsonAsync($"/api/v1/projects/{setup.ProjectId}/members", new { userId = memberId });
        var ownersEntry = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 60 }));
        var ownersTimer = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow) }));
        var own = Id(await CreateAsync(member, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 60 }));

        foreach (var id in new[] { ownersEntry, ownersTimer })
        {
            await (await member.GetAsync($"{Entries}/{id}")).AssertErrorAsync(404, "not_found");
            await (await member.PatchAsJsonAsync($"{Entries}/{id}", new { note = "x" })).AssertErrorAsync(404, "not_found");
            await (await member.DeleteAsync($"{Entries}/{id}")).AssertErrorAsync(404, "not_found");
            await (await member.PostAsync($"{Entries}/{id}/stop", null)).AssertErrorAsync(404, "not_found");
        }

        Assert.Equal([own], await ListIdsAsync(member));
        Assert.Equal([own], await ListIdsAsync(member, "?running=false"));
        Assert.Empty(await ListIdsAsync(member, "?running=true"));
        Assert.Equal(JsonValueKind.Null, (await GetAsync(member, $"{Entries}/running")).ValueKind);
        Assert.Equal(3, (await ListIdsAsync(setup.Owner)).Count);
        Assert.Equal(204, (int)(await member.DeleteAsync($"{Entries}/{own}")).StatusCode);
    }

    [Fact]
    public async Task Members_log_time_only_on_projects_they_are_on_and_move_entries_only_between_them()
    {
        var setup = await SetupAsync();
        var (memberId, memberToken) = await setup.Workspace.TokenForRoleAsync(Role.Member);
        using var member = setup.Workspace.Client(memberToken);
        var second = await ProjectAsync(setup.Owner, setup.ClientId, "Second");
        var notOn = await ProjectAsync(setup.Owner, setup.ClientId, "Not on it");
        var taskNotOn = await TaskAsync(setup, notOn);
        await setup.Owner.PostAsJsonAsync($"/api/v1/projects/{setup.ProjectId}/members", new { userId = memberId });
        await setup.Owner.PostAsJsonAsync($"/api/v1/projects/{second}/members", new { userId = memberId });

        var refused = await member.PostAsJsonAsync(Entries, new { projectId = notOn, entryDate = "2026-06-11", durationSeconds = 60 });
        Assert.Equal("not_found", await FieldErrorAsync(refused, "projectId"));
        var foreignTask = await member.PostAsJsonAsync(Entries, new { projectId = setup.ProjectId, taskId = taskNotOn, entryDate = "2026-06-11", durationSeconds = 60 });
        Assert.Equal("not_found", await FieldErrorAsync(foreignTask, "taskId"));

        var id = Id(await CreateAsync(member, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 60 }));
        var moved = await member.PatchAsJsonAsync($"{Entries}/{id}", new { projectId = second });
        Assert.Equal(second, (await moved.ReadJsonAsync()).GetProperty("data").GetProperty("projectId").GetGuid());
        var outOfReach = await member.PatchAsJsonAsync($"{Entries}/{id}", new { projectId = notOn });
        Assert.Equal("not_found", await FieldErrorAsync(outOfReach, "projectId"));

        // Taken off the project, the member keeps the entry but cannot move it out of there.
        Assert.Equal(204, (int)(await setup.Owner.DeleteAsync($"/api/v1/projects/{second}/members/{memberId}")).StatusCode);
        Assert.Equal(200, (int)(await member.GetAsync($"{Entries}/{id}")).StatusCode);
        await (await member.PatchAsJsonAsync($"{Entries}/{id}", new { projectId = setup.ProjectId })).AssertErrorAsync(403, "forbidden_scope");
    }

    [Fact]
    public async Task Managers_log_and_edit_anyones_time_but_only_owners_and_admins_reassign()
    {
        var setup = await SetupAsync();
        var (managerId, managerToken) = await setup.Workspace.TokenForRoleAsync(Role.Manager);
        var (_, adminToken) = await setup.Workspace.TokenForRoleAsync(Role.Admin);
        var (memberId, _) = await setup.Workspace.TokenForRoleAsync(Role.Member);
        using var manager = setup.Workspace.Client(managerToken);
        using var admin = setup.Workspace.Client(adminToken);

        var forMember = await CreateAsync(manager, new { projectId = setup.ProjectId, userId = memberId, entryDate = "2026-06-11", durationSeconds = 60 });
        Assert.Equal(memberId, forMember.GetProperty("userId").GetGuid());
        var id = Id(forMember);

        var edited = await manager.PatchAsJsonAsync($"{Entries}/{id}", new { note = "Checked", userId = memberId });
        Assert.Equal("Checked", (await edited.ReadJsonAsync()).GetProperty("data").GetProperty("note").GetString());

        var refused = await manager.PatchAsJsonAsync($"{Entries}/{id}", new { userId = managerId });
        var error = await refused.AssertErrorAsync(403, "forbidden_scope");
        Assert.Contains("time_entries:reassign", error.GetProperty("message").GetString());
        Assert.Equal(memberId, (await GetAsync(setup.Owner, $"{Entries}/{id}")).GetProperty("userId").GetGuid());

        var reassigned = await admin.PatchAsJsonAsync($"{Entries}/{id}", new { userId = managerId });
        Assert.Equal(managerId, (await reassigned.ReadJsonAsync()).GetProperty("data").GetProperty("userId").GetGuid());

        var other = await factory.CreateWorkspaceAsync();
        var foreign = await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { userId = other.OwnerId });
        Assert.Equal("not_found", await FieldErrorAsync(foreign, "userId"));
        var foreignOnCreate = await manager.PostAsJsonAsync(Entries, new { projectId = setup.ProjectId, userId = other.OwnerId, entryDate = "2026-06-11", durationSeconds = 60 });
        Assert.Equal("not_found", await FieldErrorAsync(foreignOnCreate, "userId"));
    }

    [Fact]
    public async Task Time_cannot_be_logged_for_a_removed_member()
    {
        var setup = await SetupAsync();
        var (memberId, _) = await setup.Workspace.TokenForRoleAsync(Role.Member);
        await factory.WithDbAsync(db => db.Members.Where(m => m.Id == memberId).ExecuteUpdateAsync(s => s.SetProperty(m => m.RemovedAt, DateTime.UtcNow)));

        var response = await setup.Owner.PostAsJsonAsync(Entries, new { projectId = setup.ProjectId, userId = memberId, entryDate = "2026-06-11", durationSeconds = 60 });

        Assert.Equal("not_found", await FieldErrorAsync(response, "userId"));
    }

    [Theory]
    [InlineData(Role.Owner, true)]
    [InlineData(Role.Admin, true)]
    [InlineData(Role.Manager, false)]
    [InlineData(Role.Member, false)]
    public async Task Me_lists_the_reassign_scope_for_owners_and_admins_only(Role role, bool listed)
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, token) = await workspace.TokenForRoleAsync(role);

        var scopes = (await GetAsync(workspace.Client(token), "/api/v1/me")).GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToList();

        Assert.Equal(listed, scopes.Contains("time_entries:reassign"));
        Assert.Contains("time_entries:write", scopes);
    }

    // ---- locks, workspaces, deletion --------------------------------------------------------

    [Fact]
    public async Task An_invoiced_entry_is_locked_even_for_the_owner()
    {
        var setup = await SetupAsync();
        var id = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 3600, note = "Billed" }));
        await LockAsync(setup, id);

        foreach (var response in new[]
        {
            await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { note = "Changed" }),
            await setup.Owner.DeleteAsync($"{Entries}/{id}"),
            await setup.Owner.PostAsync($"{Entries}/{id}/stop", null),
        })
        {
            var error = await response.AssertErrorAsync(409, "conflict");
            Assert.Equal("Invoiced time entries are locked.", error.GetProperty("message").GetString());
        }

        var entry = await GetAsync(setup.Owner, $"{Entries}/{id}");
        Assert.Equal("Billed", entry.GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.String, entry.GetProperty("invoiceId").ValueKind);
    }

    [Fact]
    public async Task A_locked_entry_is_409_before_its_fields_are_checked()
    {
        var setup = await SetupAsync();
        var id = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 3600 }));
        await LockAsync(setup, id);

        await (await setup.Owner.PatchAsJsonAsync($"{Entries}/{id}", new { duration = "garbage" })).AssertErrorAsync(409, "conflict");
    }

    [Fact]
    public async Task Another_workspaces_entries_and_projects_do_not_exist()
    {
        var setup = await SetupAsync();
        var other = await SetupAsync();
        var foreign = Id(await CreateAsync(other.Owner, new { projectId = other.ProjectId, entryDate = "2026-06-11", durationSeconds = 60 }));
        var foreignTimer = Id(await CreateAsync(other.Owner, new { projectId = other.ProjectId, startedAt = Iso(DateTime.UtcNow) }));

        await (await setup.Owner.GetAsync($"{Entries}/{foreign}")).AssertErrorAsync(404, "not_found");
        await (await setup.Owner.PatchAsJsonAsync($"{Entries}/{foreign}", new { note = "x" })).AssertErrorAsync(404, "not_found");
        await (await setup.Owner.DeleteAsync($"{Entries}/{foreign}")).AssertErrorAsync(404, "not_found");
        await (await setup.Owner.PostAsync($"{Entries}/{foreignTimer}/stop", null)).AssertErrorAsync(404, "not_found");
        Assert.Empty(await ListIdsAsync(setup.Owner));
        Assert.Equal(JsonValueKind.Null, (await GetAsync(setup.Owner, $"{Entries}/running")).ValueKind);

        var onForeignProject = await setup.Owner.PostAsJsonAsync(Entries, new { projectId = other.ProjectId, entryDate = "2026-06-11", durationSeconds = 60 });
        Assert.Equal("not_found", await FieldErrorAsync(onForeignProject, "projectId"));
        Assert.True((await GetAsync(other.Owner, $"{Entries}/{foreignTimer}")).GetProperty("running").GetBoolean());
    }

    [Fact]
    public async Task Delete_is_soft_and_the_entry_disappears()
    {
        var setup = await SetupAsync();
        var id = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 60 }));

        Assert.Equal(204, (int)(await setup.Owner.DeleteAsync($"{Entries}/{id}")).StatusCode);

        await (await setup.Owner.GetAsync($"{Entries}/{id}")).AssertErrorAsync(404, "not_found");
        await (await setup.Owner.DeleteAsync($"{Entries}/{id}")).AssertErrorAsync(404, "not_found");
        Assert.Empty(await ListIdsAsync(setup.Owner));
        var deletedAt = await factory.WithDbAsync(db => db.TimeEntries.IgnoreQueryFilters().Where(e => e.Id == id).Select(e => e.DeletedAt).SingleAsync());
        Assert.NotNull(deletedAt);
    }

    [Fact]
    public async Task A_deleted_timer_no_longer_runs()
    {
        var setup = await SetupAsync();
        var timer = Id(await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), note = "Oops" }));

        Assert.Equal(204, (int)(await setup.Owner.DeleteAsync($"{Entries}/{timer}")).StatusCode);

        Assert.Equal(JsonValueKind.Null, (await GetAsync(setup.Owner, $"{Entries}/running")).ValueKind);
        var next = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, startedAt = Iso(DateTime.UtcNow), note = "Oops" });
        Assert.NotEqual(timer, Id(next));
    }

    [Fact]
    public async Task Every_documented_field_is_present()
    {
        var setup = await SetupAsync();

        var entry = await CreateAsync(setup.Owner, new { projectId = setup.ProjectId, entryDate = "2026-06-11", durationSeconds = 60 });

        foreach (var field in new[] { "id", "orgId", "userId", "projectId", "taskId", "invoiceId", "durationSeconds", "billable", "note", "entryDate", "startedAt", "stoppedAt", "createdAt", "updatedAt", "deletedAt", "running" })
        {
            Assert.True(entry.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal(setup.Workspace.Id, entry.GetProperty("orgId").GetGuid());
        Assert.Equal(setup.Workspace.OwnerId, entry.GetProperty("userId").GetGuid());
    }
}

/// <summary>A server whose POSTs run without a request transaction (the idempotency layer off, as bench/ does).</summary>
public sealed class NoRequestTransactionFactory() : ApiFactory(new Dictionary<string, string?> { ["Idempotency:Enabled"] = "false" });

/// <summary>
/// Without a transaction to take turns in, racing starts meet the one-running-timer index: the losers
/// stop the winner's timer and save again, so the rule still holds.
/// </summary>
public class TimerRaceWithoutTransactionTests(NoRequestTransactionFactory factory) : IClassFixture<NoRequestTransactionFactory>
{
    [Fact]
    public async Task Timers_started_at_once_without_a_transaction_still_leave_exactly_one_running()
    {
        // Some may get the retryable 409 after losing five rounds; the rule is what is checked.
        await TimeEntryTests.StartAtOnceAsync(await TimeEntryTests.SetupAsync(factory), starts: 8);
    }
}
