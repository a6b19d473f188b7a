using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Clients;
using Hoursmith.Api.Features.Expenses;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Features.Members;
using Hoursmith.Api.Features.Projects;
using Hoursmith.Api.Features.Tasks;
using Hoursmith.Api.Features.TimeEntries;
using Hoursmith.Api.Features.Tokens;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Features;

/// <summary>
/// The list query parameters every collection shares (conventions.md "Pagination, sorting, search,
/// filters"): what is refused with 400 bad_request, what each accepted form means, and how the
/// OpenAPI document declares them.
/// </summary>
public class ListQueryErrorTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Entries = "/api/v1/time-entries";
    private const string ExpensesPath = "/api/v1/expenses";

    private static readonly DateTime s_base = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly s_day = new(2026, 3, 5);

    public static TheoryData<string> ListPaths =>
    [
        "/api/v1/clients", "/api/v1/projects", "/api/v1/tasks", Entries, ExpensesPath, "/api/v1/invoices", "/api/v1/members", "/api/v1/tokens",
    ];

    /// <summary>A workspace with two clients (Northwind Traders, Acme), a project of each, and its Owner's reader.</summary>
    private sealed record Setup(TestWorkspace Workspace, ListReader Owner, Guid NorthwindId, Guid AcmeId, Guid NorthwindProjectId, Guid AcmeProjectId);

    private async Task<Setup> SetupAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (northwind, acme, northwindProject, acmeProject) = await factory.WithDbAsync(async db =>
        {
            var northwind = new Client { WorkspaceId = workspace.Id, Name = "Northwind Traders", Currency = "EUR", CreatedAt = s_base, UpdatedAt = s_base };
            var acme = new Client { WorkspaceId = workspace.Id, Name = "Acme", Currency = "EUR", CreatedAt = s_base, UpdatedAt = s_base };
            var northwindProject = new Project { WorkspaceId = workspace.Id, Client = northwind, Name = "Warehouse app", CreatedAt = s_base, UpdatedAt = s_base };
            var acmeProject = new Project { WorkspaceId = workspace.Id, Client = acme, Name = "Website", CreatedAt = s_base.AddSeconds(1), UpdatedAt = s_base };
            db.AddRange(northwind, acme, northwindProject, acmeProject);
            await db.SaveChangesAsync();
            return (northwind.Id, acme.Id, northwindProject.Id, acmeProject.Id);
        });
        return new Setup(workspace, new ListReader(workspace, workspace.OwnerId), northwind, acme, northwindProject, acmeProject);
    }

    private Task<List<T>> InsertAsync<T>(params T[] rows) where T : class => factory.WithDbAsync(async db =>
    {
        db.AddRange(rows);
        await db.SaveChangesAsync();
        return rows.ToList();
    });

    private static TimeEntry NewEntry(Setup setup, DateTime? createdAt = null, Guid? memberId = null, string? note = null, bool billable = true,
        bool running = false, DateOnly? entryDate = null, DateTime? updatedAt = null, DateTime? deletedAt = null)
    {
        var created = createdAt ?? s_base;
        return new TimeEntry
        {
            WorkspaceId = setup.Workspace.Id,
            MemberId = memberId ?? setup.Workspace.OwnerId,
            ProjectId = setup.NorthwindProjectId,
            EntryDate = entryDate ?? s_day,
            DurationSeconds = running ? null : 3600,
            StartedAt = running ? created : null,
            Note = note,
            Billable = billable,
            CreatedAt = created,
            UpdatedAt = updatedAt ?? created,
            DeletedAt = deletedAt,
        };
    }

    private static Expense NewExpense(Setup setup, Guid clientId, ExpenseCategory category = ExpenseCategory.Other, decimal amount = 10m, string description = "Receipt") => new()
    {
        WorkspaceId = setup.Workspace.Id,
        ClientId = clientId,
        Category = category,
        Description = description,
        Amount = amount,
        Currency = "EUR",
        ExpenseDate = s_day,
        CreatedAt = s_base,
        UpdatedAt = s_base,
    };

    /// <summary>A real nextCursor: the first page (limit 1) of a list with at least two rows.</summary>
    private static async Task<string> CursorAsync(ListReader reader, string path, string query = "")
    {
        var page = await reader.PageAsync($"{path}?limit=1{query}");
        return Assert.IsType<string>(page.NextCursor);
    }

    /// <summary>A workspace with three time entries of its Owner, and a cursor after the first of <paramref name="query"/>.</summary>
    private async Task<(Setup Setup, string Cursor)> EntriesWithCursorAsync(string query = "")
    {
        var setup = await SetupAsync();
        await InsertAsync(
            NewEntry(setup, s_base, note: "alpha"),
            NewEntry(setup, s_base.AddSeconds(1), note: "alpha", entryDate: s_day.AddDays(1)),
            NewEntry(setup, s_base.AddSeconds(2), note: "alpha", entryDate: s_day.AddDays(2)));
        return (setup, await CursorAsync(setup.Owner, Entries, query));
    }

    private static async Task AssertBadRequestAsync(ListReader reader, string url) => await (await reader.GetAsync(url)).AssertErrorAsync(400, "bad_request");

    private static string Flip(string cursor, int index)
    {
        var replacement = cursor[index] == 'A' ? 'B' : 'A';
        return string.Concat(cursor.AsSpan(0, index), replacement.ToString(), cursor.AsSpan(index + 1));
    }

    // ---- limit and sort ----

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1e2")]
    [InlineData("99999999999")]
    public async Task A_limit_that_is_not_a_whole_number_from_1_to_200_is_400(string limit)
    {
        var setup = await SetupAsync();

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit={Uri.EscapeDataString(limit)}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(200)]
    public async Task Limits_1_and_200_are_accepted_and_echoed(int limit)
    {
        var (setup, _) = await EntriesWithCursorAsync();

        var page = await setup.Owner.PageAsync($"{Entries}?limit={limit}");

        Assert.Equal(limit, page.Limit);
        Assert.Equal(Math.Min(limit, 3), page.Rows.Count);
    }

    [Fact]
    public async Task The_default_limit_is_50()
    {
        var setup = await SetupAsync();

        Assert.Equal(50, (await setup.Owner.PageAsync(Entries)).Limit);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("-")]
    [InlineData("--createdAt")]
    [InlineData("note")]
    [InlineData("-billable")]
    [InlineData("createdAt,id")]
    public async Task A_sort_that_is_not_a_declared_field_is_400(string sort)
    {
        var setup = await SetupAsync();

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?sort={Uri.EscapeDataString(sort)}");
    }

    [Theory]
    [MemberData(nameof(ListPaths))]
    public async Task Every_list_refuses_a_bad_limit_sort_cursor_and_includeDeleted(string path)
    {
        var setup = await SetupAsync();

        await AssertBadRequestAsync(setup.Owner, $"{path}?limit=0");
        await AssertBadRequestAsync(setup.Owner, $"{path}?sort=nope");
        await AssertBadRequestAsync(setup.Owner, $"{path}?cursor=not-a-cursor");
        await AssertBadRequestAsync(setup.Owner, $"{path}?includeDeleted=maybe");
        await AssertBadRequestAsync(setup.Owner, $"{path}?search={new string('x', 201)}");
        Assert.Equal(10, (await setup.Owner.PageAsync($"{path}?limit=10&sort=-id")).Limit);
    }

    // ---- cursors ----

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("%%%")]
    [InlineData("AAAA")]
    [InlineData("aWQ6MDE5YTAwMDAwMDAwNzAwMDgwMDAwMDAwMDAwMDAwMDA")]
    public async Task A_malformed_cursor_is_400(string cursor)
    {
        var setup = await SetupAsync();

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?cursor={Uri.EscapeDataString(cursor)}");
    }

    [Fact]
    public async Task An_overlong_cursor_is_400()
    {
        var (setup, cursor) = await EntriesWithCursorAsync();

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1&cursor={cursor}{new string('A', 3000)}");
    }

    [Fact]
    public async Task A_tampered_cursor_is_400()
    {
        var (setup, cursor) = await EntriesWithCursorAsync();

        foreach (var index in new[] { 0, 5, cursor.Length / 2, cursor.Length - 2 })
        {
            await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1&cursor={Flip(cursor, index)}");
        }

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1&cursor={cursor[..^1]}");
        await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1&cursor={cursor}A");
        Assert.Single((await setup.Owner.PageAsync($"{Entries}?limit=1&cursor={cursor}")).Rows);
    }

    /// <summary>
    /// Base64 text whose length is not a multiple of 4 has spare low bits in its last character that
    /// decoders ignore: changing only those must not pass for the cursor that was issued.
    /// </summary>
    [Fact]
    public async Task A_cursor_changed_only_in_its_unused_base64_bits_is_400()
    {
        // sort=-entryDate keys the cursor by a 10-character date: 62 bytes, so the last character carries 2 spare bits.
        var (setup, cursor) = await EntriesWithCursorAsync("&sort=-entryDate");
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Assert.NotEqual(0, cursor.Length % 4);
        var last = alphabet.IndexOf(cursor[^1], StringComparison.Ordinal);
        var sameBytes = cursor[..^1] + alphabet[last ^ 1];

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1&sort=-entryDate&cursor={sameBytes}");
    }

    [Fact]
    public async Task A_cursor_in_standard_base64_or_with_padding_or_whitespace_is_400()
    {
        var (setup, cursor) = await EntriesWithCursorAsync();
        var padded = cursor + new string('=', (4 - (cursor.Length % 4)) % 4);

        if (padded != cursor)
        {
            await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1&cursor={Uri.EscapeDataString(padded)}");
        }

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1&cursor={Uri.EscapeDataString(cursor[..8] + " " + cursor[8..])}");
        var standard = cursor.Replace('-', '+').Replace('_', '/');
        if (standard != cursor)
        {
            await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1&cursor={Uri.EscapeDataString(standard)}");
        }
    }

    [Fact]
    public async Task A_cursor_from_another_workspaces_list_is_400()
    {
        var (_, cursor) = await EntriesWithCursorAsync();
        var (other, _) = await EntriesWithCursorAsync();

        await AssertBadRequestAsync(other.Owner, $"{Entries}?limit=1&cursor={cursor}");
    }

    [Fact]
    public async Task A_cursor_replayed_by_another_member_of_the_workspace_is_400()
    {
        var (setup, cursor) = await EntriesWithCursorAsync();
        var admin = new ListReader(setup.Workspace, await setup.Workspace.AddMemberAsync(Role.Admin));

        await AssertBadRequestAsync(admin, $"{Entries}?limit=1&cursor={cursor}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("&sort=createdAt")]
    [InlineData("&sort=entryDate")]
    [InlineData("&sort=-id")]
    public async Task A_cursor_reused_with_another_sort_is_400(string sort)
    {
        var (setup, cursor) = await EntriesWithCursorAsync("&sort=-entryDate");

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1{sort}&cursor={cursor}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("&billable=false")]
    [InlineData("&billable=true&running=false")]
    [InlineData("&billable=true&includeDeleted=true")]
    [InlineData("&billable=true&search=alpha")]
    public async Task A_cursor_reused_with_other_filters_is_400(string filters)
    {
        var (setup, cursor) = await EntriesWithCursorAsync("&billable=true");

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1{filters}&cursor={cursor}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("&search=ALPHA")]
    [InlineData("&search=alp")]
    public async Task A_cursor_reused_with_another_search_is_400(string search)
    {
        var (setup, cursor) = await EntriesWithCursorAsync("&search=alpha");

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?limit=1{search}&cursor={cursor}");
        Assert.Single((await setup.Owner.PageAsync($"{Entries}?limit=1&search=alpha&cursor={cursor}")).Rows);
    }

    [Fact]
    public async Task A_cursor_continues_with_another_limit_and_with_the_same_filters_in_another_order()
    {
        var (setup, cursor) = await EntriesWithCursorAsync("&sort=entryDate&billable=true&running=false");

        Assert.Equal(2, (await setup.Owner.PageAsync($"{Entries}?limit=5&running=false&sort=entryDate&billable=true&cursor={cursor}")).Rows.Count);
    }

    [Theory]
    [InlineData(ExpensesPath)]
    [InlineData("/api/v1/clients")]
    [InlineData("/api/v1/projects")]
    [InlineData("/api/v1/members")]
    public async Task A_cursor_of_another_collection_is_400(string path)
    {
        var (setup, cursor) = await EntriesWithCursorAsync();

        await AssertBadRequestAsync(setup.Owner, $"{path}?limit=1&cursor={cursor}");
    }

    // ---- filter values ----

    [Theory]
    [InlineData("entryDateFrom=2026-13-01")]
    [InlineData("entryDateTo=2026-02-30")]
    [InlineData("createdAtTo=yesterday")]
    [InlineData("updatedAtFrom=2026-03-01T25:00:00Z")]
    [InlineData("billable=maybe")]
    [InlineData("running=2")]
    [InlineData("projectId=not-a-uuid")]
    [InlineData("taskId=123")]
    [InlineData("userId=00000000-0000-0000-0000")]
    [InlineData("durationSecondsMin=1.5")]
    [InlineData("durationSecondsMax=ten")]
    [InlineData("includeDeleted=maybe")]
    [InlineData("includeDeleted=2")]
    public async Task A_time_entry_filter_value_that_does_not_parse_is_400(string filter)
    {
        var setup = await SetupAsync();

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?{filter}");
    }

    [Theory]
    [InlineData("entryDateFrom=2026-13-01", "entryDateFrom must be a date (YYYY-MM-DD).")]
    [InlineData("updatedAtFrom=noon", "updatedAtFrom must be a date and time in ISO 8601 (2026-01-31T09:00:00Z).")]
    [InlineData("billable=maybe", "billable must be true or false.")]
    [InlineData("projectId=42", "projectId must be a UUID (the id of the resource).")]
    [InlineData("durationSecondsMin=ten", "durationSecondsMin must be a whole number.")]
    public async Task A_filter_error_says_the_expected_format_in_the_API_s_words(string filter, string message)
    {
        var setup = await SetupAsync();

        var error = await (await setup.Owner.GetAsync($"{Entries}?{filter}")).AssertErrorAsync(400, "bad_request");

        Assert.Equal(message, error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("category=FOOD")]
    [InlineData("amountMin=1.234")]
    [InlineData("amountMax=ten")]
    [InlineData("amountMin=1,5")]
    [InlineData("clientId=acme")]
    [InlineData("expenseDateFrom=05/03/2026x")]
    public async Task An_expense_filter_value_that_does_not_parse_is_400(string filter)
    {
        var setup = await SetupAsync();

        await AssertBadRequestAsync(setup.Owner, $"{ExpensesPath}?{filter}");
    }

    [Fact]
    public async Task A_blank_parameter_counts_as_absent()
    {
        var setup = await SetupAsync();
        var rows = await InsertAsync(NewExpense(setup, setup.AcmeId));

        var page = await setup.Owner.PageAsync($"{ExpensesPath}?limit=&sort=&cursor=&search=&category=&amountMin=%20&includeDeleted=");

        Assert.Equal(50, page.Limit);
        Assert.Equal([rows[0].Id], page.Ids);
    }

    [Theory]
    [InlineData("status=open")]
    [InlineData("priority=urgent")]
    [InlineData("assigneeId=me")]
    [InlineData("billable=y")]
    public async Task A_task_filter_value_that_does_not_parse_is_400(string filter)
    {
        var setup = await SetupAsync();

        await AssertBadRequestAsync(setup.Owner, $"/api/v1/tasks?{filter}");
    }

    [Fact]
    public async Task A_search_over_200_characters_is_400_and_200_is_accepted()
    {
        var setup = await SetupAsync();

        await AssertBadRequestAsync(setup.Owner, $"{Entries}?search={new string('a', 201)}");
        Assert.Empty((await setup.Owner.PageAsync($"{Entries}?search={new string('a', 200)}")).Rows);
    }

    // ---- what the accepted forms mean ----

    [Fact]
    public async Task Enum_filters_accept_any_letter_case()
    {
        var setup = await SetupAsync();
        var rows = await InsertAsync(
            NewExpense(setup, setup.NorthwindId, ExpenseCategory.Travel),
            NewExpense(setup, setup.NorthwindId, ExpenseCategory.Meals),
            NewExpense(setup, setup.AcmeId, ExpenseCategory.Travel));
        var travel = rows.Where(r => r.Category == ExpenseCategory.Travel).Select(r => r.Id).Order().ToList();

        foreach (var value in new[] { "TRAVEL", "travel", "Travel", "tRaVeL" })
        {
            Assert.Equal(travel, (await setup.Owner.IdsAsync($"{ExpensesPath}?category={value}")).Order());
        }

        var tasks = await InsertAsync(
            new WorkTask { WorkspaceId = setup.Workspace.Id, ProjectId = setup.AcmeProjectId, Name = "Doing", Status = WorkTaskStatus.InProgress, CreatedAt = s_base, UpdatedAt = s_base },
            new WorkTask { WorkspaceId = setup.Workspace.Id, ProjectId = setup.AcmeProjectId, Name = "Open", Status = WorkTaskStatus.Todo, CreatedAt = s_base, UpdatedAt = s_base });
        foreach (var value in new[] { "IN_PROGRESS", "in_progress", "In_Progress" })
        {
            Assert.Equal([tasks[0].Id], await setup.Owner.IdsAsync($"/api/v1/tasks?status={value}"));
        }
    }

    [Fact]
    public async Task Boolean_filters_accept_true_false_1_0_yes_no_in_any_case()
    {
        var setup = await SetupAsync();
        var rows = await InsertAsync(NewEntry(setup, s_base, billable: true), NewEntry(setup, s_base.AddSeconds(1), billable: false));

        foreach (var value in new[] { "true", "1", "yes", "YES", "True" })
        {
            Assert.Equal([rows[0].Id], await setup.Owner.IdsAsync($"{Entries}?billable={value}"));
        }

        foreach (var value in new[] { "false", "0", "no", "No" })
        {
            Assert.Equal([rows[1].Id], await setup.Owner.IdsAsync($"{Entries}?billable={value}"));
        }
    }

    [Fact]
    public async Task A_bare_date_upper_bound_includes_the_whole_day_and_a_lower_bound_starts_at_midnight()
    {
        var setup = await SetupAsync();
        var midnight = s_day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var rows = await InsertAsync(
            NewEntry(setup, midnight.AddTicks(-1)),
            NewEntry(setup, midnight),
            NewEntry(setup, midnight.AddHours(23).AddMinutes(59).AddSeconds(59)),
            NewEntry(setup, midnight.AddDays(1).AddTicks(-1)),
            NewEntry(setup, midnight.AddDays(1)));
        var ids = rows.Select(r => r.Id).ToList();

        Assert.Equal([ids[1], ids[2], ids[3]], await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&createdAtFrom=2026-03-05&createdAtTo=2026-03-05"));
        Assert.Equal(ids[..4], await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&createdAtTo=2026-03-05"));
        // A full timestamp is exact, and inclusive.
        Assert.Equal(ids[..3], await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&createdAtTo=2026-03-05T23:59:59Z"));
        Assert.Equal(ids[2..], await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&createdAtFrom={Uri.EscapeDataString("2026-03-06T00:59:59+01:00")}"));
    }

    [Fact]
    public async Task Date_ranges_are_inclusive_on_both_ends()
    {
        var setup = await SetupAsync();
        var rows = await InsertAsync(
            NewEntry(setup, s_base, entryDate: s_day.AddDays(-1)),
            NewEntry(setup, s_base.AddSeconds(1), entryDate: s_day),
            NewEntry(setup, s_base.AddSeconds(2), entryDate: s_day.AddDays(1)),
            NewEntry(setup, s_base.AddSeconds(3), entryDate: s_day.AddDays(2)));

        Assert.Equal([rows[1].Id, rows[2].Id], await setup.Owner.IdsAsync($"{Entries}?sort=entryDate&entryDateFrom=2026-03-05&entryDateTo=2026-03-06"));
        Assert.Equal([rows[1].Id], await setup.Owner.IdsAsync($"{Entries}?entryDateFrom=2026-03-05&entryDateTo=2026-03-05"));
    }

    [Fact]
    public async Task Amount_bounds_compare_by_value_to_the_cent()
    {
        var setup = await SetupAsync();
        var rows = await InsertAsync(
            NewExpense(setup, setup.AcmeId, amount: 9.99m),
            NewExpense(setup, setup.AcmeId, amount: 10.00m),
            NewExpense(setup, setup.AcmeId, amount: 100.00m),
            NewExpense(setup, setup.AcmeId, amount: 100.01m));

        Assert.Equal([rows[1].Id, rows[2].Id], await setup.Owner.IdsAsync($"{ExpensesPath}?sort=amount&amountMin=10&amountMax=100.00"));
        Assert.Equal([rows[0].Id, rows[1].Id], await setup.Owner.IdsAsync($"{ExpensesPath}?sort=amount&amountMax=10.0"));
    }

    [Fact]
    public async Task IncludeDeleted_true_returns_soft_deleted_rows_with_deletedAt()
    {
        var setup = await SetupAsync();
        var rows = await InsertAsync(NewEntry(setup, s_base), NewEntry(setup, s_base.AddSeconds(1), deletedAt: s_base.AddDays(1)));

        Assert.Equal([rows[0].Id], await setup.Owner.IdsAsync(Entries));
        Assert.Equal([rows[0].Id], await setup.Owner.IdsAsync($"{Entries}?includeDeleted=false"));
        var page = await setup.Owner.PageAsync($"{Entries}?includeDeleted=true&sort=createdAt");
        Assert.Equal([rows[0].Id, rows[1].Id], page.Ids);
        Assert.Equal(JsonValueKind.Null, page.Rows[0].GetProperty("deletedAt").ValueKind);
        Assert.Equal(s_base.AddDays(1), page.Rows[1].GetProperty("deletedAt").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task UpdatedAtFrom_returns_what_changed_since_a_moment_for_a_sync()
    {
        var setup = await SetupAsync();
        // Timestamps are stored to the microsecond (as PostgreSQL keeps them), so the moments are whole microseconds.
        var since = s_base.AddDays(1).AddTicks(1_234_560);
        var rows = await InsertAsync(
            NewEntry(setup, s_base, updatedAt: since.AddTicks(-10)),
            NewEntry(setup, s_base.AddSeconds(1), updatedAt: since),
            NewEntry(setup, s_base.AddSeconds(2), updatedAt: since.AddHours(1)),
            NewEntry(setup, s_base.AddSeconds(3), updatedAt: since.AddHours(2), deletedAt: since.AddHours(2)));

        var sinceText = since.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([rows[1].Id, rows[2].Id], await setup.Owner.IdsAsync($"{Entries}?sort=updatedAt&updatedAtFrom={Uri.EscapeDataString(sinceText)}"));
        // With deletions, so a sync learns what went away.
        Assert.Equal([rows[1].Id, rows[2].Id, rows[3].Id], await setup.Owner.IdsAsync($"{Entries}?sort=updatedAt&includeDeleted=true&updatedAtFrom={Uri.EscapeDataString(sinceText)}"));
    }

    [Fact]
    public async Task Search_is_a_case_insensitive_partial_match_that_treats_wildcards_literally()
    {
        var setup = await SetupAsync();
        var rows = await InsertAsync(
            NewEntry(setup, s_base, note: "Fixed the LOGIN redirect"),
            NewEntry(setup, s_base.AddSeconds(1), note: "login page review"),
            NewEntry(setup, s_base.AddSeconds(2), note: "Standup"),
            NewEntry(setup, s_base.AddSeconds(3), note: null),
            NewEntry(setup, s_base.AddSeconds(4), note: "100% done"),
            NewEntry(setup, s_base.AddSeconds(5), note: "a_b"));

        Assert.Equal([rows[0].Id, rows[1].Id], await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&search=login"));
        Assert.Equal([rows[0].Id, rows[1].Id], await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&search=LoGi"));
        Assert.Equal([rows[0].Id], await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&search={Uri.EscapeDataString("the login RE")}"));
        Assert.Equal([rows[4].Id], await setup.Owner.IdsAsync($"{Entries}?search={Uri.EscapeDataString("%")}"));
        Assert.Equal([rows[5].Id], await setup.Owner.IdsAsync($"{Entries}?search=_"));
        Assert.Empty(await setup.Owner.IdsAsync($"{Entries}?search=logout"));
    }

    [Fact]
    public async Task ClientName_is_a_case_insensitive_partial_match_on_expenses_and_projects()
    {
        var setup = await SetupAsync();
        var rows = await InsertAsync(NewExpense(setup, setup.NorthwindId), NewExpense(setup, setup.AcmeId));

        Assert.Equal([rows[0].Id], await setup.Owner.IdsAsync($"{ExpensesPath}?clientName=wind"));
        Assert.Equal([rows[0].Id], await setup.Owner.IdsAsync($"{ExpensesPath}?clientName=NORTH"));
        Assert.Equal([rows[1].Id], await setup.Owner.IdsAsync($"{ExpensesPath}?clientName=cm"));
        Assert.Empty(await setup.Owner.IdsAsync($"{ExpensesPath}?clientName=initech"));
        Assert.Equal([setup.NorthwindProjectId], await setup.Owner.IdsAsync("/api/v1/projects?clientName=traders"));
        Assert.Equal([setup.AcmeProjectId], await setup.Owner.IdsAsync("/api/v1/projects?clientName=ACME"));
    }

    [Fact]
    public async Task ClientName_folds_letter_case_beyond_ascii_like_search_for_short_and_long_terms()
    {
        var setup = await SetupAsync();
        var (ecole, other) = await factory.WithDbAsync(async db =>
        {
            var ecole = new Client { WorkspaceId = setup.Workspace.Id, Name = "ÉCOLE Ærø Studio", Currency = "EUR", CreatedAt = s_base, UpdatedAt = s_base };
            var other = new Client { WorkspaceId = setup.Workspace.Id, Name = "Ecole Lyon", Currency = "EUR", CreatedAt = s_base, UpdatedAt = s_base };
            db.AddRange(ecole, other);
            await db.SaveChangesAsync();
            return (ecole.Id, other.Id);
        });
        var rows = await InsertAsync(NewExpense(setup, ecole), NewExpense(setup, other), NewExpense(setup, setup.AcmeId));

        foreach (var term in new[] { "école", "École", "ærø", "ÆRØ STU", "é", "æ" })
        {
            Assert.Equal([rows[0].Id], await setup.Owner.IdsAsync($"{ExpensesPath}?clientName={Uri.EscapeDataString(term)}"));
        }

        // Accents count, as in search: "ecole" is not "école".
        Assert.Equal([rows[1].Id], await setup.Owner.IdsAsync($"{ExpensesPath}?clientName=ECOLE"));
        Assert.Empty(await setup.Owner.IdsAsync($"{ExpensesPath}?clientName={Uri.EscapeDataString("ærø lyon")}"));
    }

    [Fact]
    public async Task AssigneeId_lists_the_tasks_assigned_to_that_member()
    {
        var setup = await SetupAsync();
        var ana = await setup.Workspace.AddMemberAsync(Role.Member);
        var ben = await setup.Workspace.AddMemberAsync(Role.Member);
        WorkTask NewTask(string name, params Guid[] assignees)
        {
            var task = new WorkTask { WorkspaceId = setup.Workspace.Id, ProjectId = setup.AcmeProjectId, Name = name, CreatedAt = s_base, UpdatedAt = s_base };
            task.Assignees.AddRange(assignees.Select(a => new TaskAssignee { MemberId = a }));
            return task;
        }

        var tasks = await InsertAsync(NewTask("Ana's", ana), NewTask("Both", ana, ben), NewTask("Ben's", ben), NewTask("Nobody's"));

        Assert.Equal(new[] { tasks[0].Id, tasks[1].Id }.Order(), (await setup.Owner.IdsAsync($"/api/v1/tasks?assigneeId={ana}")).Order());
        Assert.Equal(new[] { tasks[1].Id, tasks[2].Id }.Order(), (await setup.Owner.IdsAsync($"/api/v1/tasks?assigneeId={ben}")).Order());
        Assert.Empty(await setup.Owner.IdsAsync($"/api/v1/tasks?assigneeId={setup.Workspace.OwnerId}"));
    }

    [Fact]
    public async Task Running_true_lists_the_running_timers_and_false_the_stopped_entries()
    {
        var setup = await SetupAsync();
        var admin = await setup.Workspace.AddMemberAsync(Role.Admin);
        var rows = await InsertAsync(
            NewEntry(setup, s_base, running: true),
            NewEntry(setup, s_base.AddSeconds(1)),
            NewEntry(setup, s_base.AddSeconds(2), memberId: admin, running: true));

        Assert.Equal([rows[0].Id, rows[2].Id], await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&running=true"));
        Assert.Equal([rows[1].Id], await setup.Owner.IdsAsync($"{Entries}?running=false"));
        Assert.All((await setup.Owner.PageAsync($"{Entries}?running=1")).Rows, r => Assert.True(r.GetProperty("running").GetBoolean()));
    }

    [Fact]
    public async Task A_members_list_is_pinned_to_their_own_entries_even_when_asking_for_someone_elses()
    {
        var setup = await SetupAsync();
        var memberId = await setup.Workspace.AddMemberAsync(Role.Member);
        var member = new ListReader(setup.Workspace, memberId);
        var rows = await InsertAsync(NewEntry(setup, s_base), NewEntry(setup, s_base.AddSeconds(1), memberId: memberId));

        Assert.Equal([rows[1].Id], await member.IdsAsync(Entries));
        Assert.Empty(await member.IdsAsync($"{Entries}?userId={setup.Workspace.OwnerId}"));
        Assert.Equal([rows[1].Id], await member.IdsAsync($"{Entries}?userId={memberId}"));
        Assert.Equal([rows[0].Id], await setup.Owner.IdsAsync($"{Entries}?userId={setup.Workspace.OwnerId}"));
    }

    // ---- the OpenAPI document ----

    public static TheoryData<string> ListOperations =>
        ["ListClients", "ListProjects", "ListTasks", "ListTimeEntries", "ListExpenses", "ListInvoices", "ListMembers", "ListTokens"];

    private static IListSpec SpecOf(string operationId) => operationId switch
    {
        "ListClients" => ClientEndpoints.List,
        "ListProjects" => ProjectEndpoints.List,
        "ListTasks" => TaskEndpoints.List,
        "ListTimeEntries" => TimeEntryEndpoints.List,
        "ListExpenses" => ExpenseEndpoints.List,
        "ListInvoices" => InvoiceEndpoints.List,
        "ListMembers" => MemberEndpoints.List,
        "ListTokens" => TokenEndpoints.List,
        _ => throw new ArgumentOutOfRangeException(nameof(operationId)),
    };

    /// <summary>The sort fields and filters resources.md lists for each collection (tokens are ours: not listed there).</summary>
    private static (string[] Sorts, string[] Filters) ContractOf(string operationId) => operationId switch
    {
        "ListClients" => (["createdAt", "id", "name", "updatedAt"], ["createdAtFrom", "createdAtTo", "updatedAtFrom", "updatedAtTo"]),
        "ListProjects" => (["createdAt", "dueDate", "id", "name", "startDate", "status", "updatedAt"],
            ["clientName", "clientId", "status", "startDateFrom", "startDateTo", "dueDateFrom", "dueDateTo", "createdAtFrom", "createdAtTo"]),
        "ListTasks" => (["createdAt", "dueDate", "endDate", "id", "name", "priority", "startDate", "status", "updatedAt"],
            ["projectId", "assigneeId", "status", "priority", "billable", "startDateFrom", "startDateTo", "dueDateFrom", "dueDateTo", "endDateFrom", "endDateTo", "createdAtFrom", "createdAtTo"]),
        "ListTimeEntries" => (["createdAt", "durationSeconds", "entryDate", "id", "updatedAt"],
            ["projectId", "taskId", "userId", "billable", "running", "entryDateFrom", "entryDateTo", "createdAtFrom", "createdAtTo", "durationSecondsMin", "durationSecondsMax"]),
        "ListExpenses" => (["amount", "createdAt", "expenseDate", "id", "updatedAt"],
            ["clientName", "clientId", "projectId", "category", "billable", "expenseDateFrom", "expenseDateTo", "createdAtFrom", "createdAtTo", "amountMin", "amountMax"]),
        "ListInvoices" => (["amountPaid", "createdAt", "dueDate", "id", "issueDate", "number", "paidAt", "paymentStatus", "sentAt", "status", "total", "updatedAt"],
            ["clientName", "clientId", "status", "paymentStatus", "issueDateFrom", "issueDateTo", "dueDateFrom", "dueDateTo", "sentAtFrom", "sentAtTo", "paidAtFrom", "paidAtTo", "createdAtFrom", "createdAtTo", "totalMin", "totalMax"]),
        "ListMembers" => (["createdAt", "id", "role"], ["role", "createdAtFrom", "createdAtTo"]),
        "ListTokens" => (["createdAt", "id"], ["createdAtFrom", "createdAtTo"]),
        _ => throw new ArgumentOutOfRangeException(nameof(operationId)),
    };

    [Theory]
    [MemberData(nameof(ListOperations))]
    public async Task The_openapi_document_declares_every_list_parameter_of_the_operation(string operationId)
    {
        var document = await (await factory.ClientWith(null).GetAsync("/api/openapi.json")).ReadJsonAsync();
        var operation = Assert.Single(
            document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).Select(o => o.Value),
            o => o.ValueKind == JsonValueKind.Object && o.TryGetProperty("operationId", out var id) && id.GetString() == operationId);
        var parameters = operation.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query")
            .ToDictionary(p => p.GetProperty("name").GetString()!);
        var spec = SpecOf(operationId);

        foreach (var name in new[] { "limit", "cursor", "sort", "search", "includeDeleted" }.Concat(spec.Parameters.Select(p => p.Name)))
        {
            Assert.True(parameters.ContainsKey(name), $"{operationId} does not declare the query parameter {name}");
        }

        var limit = parameters["limit"].GetProperty("schema");
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.Equal("1", limit.GetProperty("minimum").ToString());
        Assert.Equal("200", limit.GetProperty("maximum").ToString());
        var sorts = parameters["sort"].GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToHashSet();
        Assert.Equal(spec.SortFields.SelectMany(f => new[] { f, "-" + f }).ToHashSet(), sorts);

        var (contractSorts, contractFilters) = ContractOf(operationId);
        Assert.All(contractSorts, f => Assert.True(sorts.Contains(f) && sorts.Contains("-" + f), $"{operationId} cannot sort by {f}"));
        Assert.All(contractFilters, f => Assert.True(parameters.ContainsKey(f), $"{operationId} lacks the filter {f}"));
    }
}
