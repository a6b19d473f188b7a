using System.Text;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Expenses;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Features.Tasks;
using Hoursmith.Api.Features.TimeEntries;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

/// <summary>
/// Property-style checks of keyset paging over random data sets (seeded, so a failure reproduces):
/// random page sizes, every sort field of time entries and expenses (and of tasks and invoices, for
/// enum ranks, text, nullable dates and timestamps) in both directions, ties on every key, null keys,
/// and rows inserted and deleted while a client pages.
/// </summary>
public class ListPagingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<int> Seeds => [7, 1_234, 20_260_301];

    // Tasks and invoices are here for their kinds of keys (ranks, text, nullable dates); two seeds keep the run short.
    public static TheoryData<int> FewerSeeds => [7, 1_234];

    private static readonly DateTime s_base = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly s_firstDay = new(2026, 3, 1);

    // Sub-second parts whose stored text sorts only if compared right (".5" after ".05", "" before ".123").
    private static readonly long[] s_fractions = [0, 5_000_000, 500_000, 1_230_000, 9_999_999];

    private static readonly string[] s_notes = ["Fixed the LOGIN redirect", "login page review", "Standup", "Invoice prep", "Café design call", "100% done", "a_b"];

    // s_amounts that sort differently as text ("9.99" > "10.00"), and repeat, so ties are common.
    private static readonly decimal[] s_amounts = [0.01m, 0.10m, 1.00m, 9.99m, 10.00m, 10.01m, 99.99m, 100.00m, 100.50m, 1234.56m];

    // s_names whose order depends on case and accents, compared as SQLite does (binary, i.e. ordinal).
    private static readonly string[] s_names = ["alpha", "Alpha", "ALPHA beta", "beta", "Éclair", "eclair", "zeta", "Zulu", "a b", "a-b", "a_b"];

    /// <summary>A collection under test: its path, the sort keys as SQLite orders them, random rows and filters to page through.</summary>
    private sealed record Scenario<T>(
        string Path,
        IListSpec Spec,
        IReadOnlyDictionary<string, Func<T, object?>> Keys,
        Func<Random, Fixture, T> Make,
        IReadOnlyList<(string Query, Func<T, bool> Matches)> Filters)
        where T : WorkspaceEntity
    {
        public static bool SoftDeletes { get; } = typeof(ISoftDeletable).IsAssignableFrom(typeof(T));

        public static bool IsDeleted(T row) => row is ISoftDeletable { DeletedAt: not null };

        /// <summary>Ascending (key, id): nulls first, then the key, then the id as the text SQLite stores.</summary>
        public Comparer<T> Ascending(string field) => Comparer<T>.Create((a, b) =>
        {
            var byKey = CompareKeys(Keys[field](a), Keys[field](b));
            return byKey != 0 ? byKey : string.CompareOrdinal(StoredId(a.Id), StoredId(b.Id));
        });

        /// <summary>Descending is exactly ascending reversed: key and id descending, nulls last.</summary>
        public Comparer<T> Order(string field, bool descending)
        {
            var ascending = Ascending(field);
            return descending ? Comparer<T>.Create((a, b) => ascending.Compare(b, a)) : ascending;
        }
    }

    /// <param name="Runners">People with no running timer yet: each running entry takes one (one timer per person).</param>
    private sealed record Fixture(TestWorkspace Workspace, Guid ClientId, Guid ProjectId, Queue<Guid> Runners);

    private static readonly Scenario<TimeEntry> s_timeEntries = new(
        "/api/v1/time-entries",
        TimeEntryEndpoints.List,
        new Dictionary<string, Func<TimeEntry, object?>>
        {
            ["createdAt"] = e => e.CreatedAt,
            ["updatedAt"] = e => e.UpdatedAt,
            ["id"] = e => StoredId(e.Id),
            ["durationSeconds"] = e => e.DurationSeconds,
            ["entryDate"] = e => e.EntryDate,
        },
        RandomEntry,
        [
            ("&durationSecondsMin=1800&durationSecondsMax=7200", e => e.DurationSeconds is >= 1800 and <= 7200),
            ("&running=true", e => e.StartedAt is not null && e.StoppedAt is null),
            ("&running=no&billable=1", e => !(e.StartedAt is not null && e.StoppedAt is null) && e.Billable),
            ("&search=LOGIN", e => e.Note?.Contains("login", StringComparison.OrdinalIgnoreCase) == true),
            ("&entryDateFrom=2026-03-05&entryDateTo=2026-03-12", e => e.EntryDate >= new DateOnly(2026, 3, 5) && e.EntryDate <= new DateOnly(2026, 3, 12)),
            ("&createdAtFrom=2026-03-01T09:00:10Z&createdAtTo=2026-03-01T09:00:20.5Z", e => e.CreatedAt >= s_base.AddSeconds(10) && e.CreatedAt <= s_base.AddSeconds(20.5)),
        ]);

    private static readonly Scenario<Expense> s_expenses = new(
        "/api/v1/expenses",
        ExpenseEndpoints.List,
        new Dictionary<string, Func<Expense, object?>>
        {
            ["createdAt"] = e => e.CreatedAt,
            ["updatedAt"] = e => e.UpdatedAt,
            ["id"] = e => StoredId(e.Id),
            ["amount"] = e => e.Amount,
            ["expenseDate"] = e => e.ExpenseDate,
        },
        RandomExpense,
        [
            ("&amountMin=10.00&amountMax=100.00", e => e.Amount is >= 10.00m and <= 100.00m),
            ("&amountMin=9.99", e => e.Amount >= 9.99m),
            ("&amountMax=0.1", e => e.Amount <= 0.10m),
            ("&category=travel&billable=yes", e => e.Category == ExpenseCategory.Travel && e.Billable),
            ("&search=taxi", e => e.Description.Contains("taxi", StringComparison.OrdinalIgnoreCase)),
        ]);

    private static readonly Scenario<WorkTask> s_tasks = new(
        "/api/v1/tasks",
        TaskEndpoints.List,
        new Dictionary<string, Func<WorkTask, object?>>
        {
            ["createdAt"] = t => t.CreatedAt,
            ["updatedAt"] = t => t.UpdatedAt,
            ["id"] = t => StoredId(t.Id),
            ["dueDate"] = t => t.DueDate,
            ["endDate"] = t => t.EndDate,
            ["name"] = t => t.Name,
            // Enums sort by declaration rank: TODO < IN_PROGRESS < DONE, LOW < MEDIUM < HIGH (no priority first).
            ["priority"] = t => (int?)t.Priority,
            ["startDate"] = t => t.StartDate,
            ["status"] = t => (int)t.Status,
        },
        RandomTask,
        [
            ("&status=in_progress", t => t.Status == WorkTaskStatus.InProgress),
            ("&priority=High&billable=false", t => t.Priority == TaskPriority.High && !t.Billable),
            ("&dueDateFrom=2026-03-05&dueDateTo=2026-03-10", t => t.DueDate >= new DateOnly(2026, 3, 5) && t.DueDate <= new DateOnly(2026, 3, 10)),
            ("&search=ALPHA", t => t.Name.Contains("alpha", StringComparison.OrdinalIgnoreCase)),
        ]);

    private static readonly Scenario<Invoice> s_invoices = new(
        "/api/v1/invoices",
        InvoiceEndpoints.List,
        new Dictionary<string, Func<Invoice, object?>>
        {
            ["amountPaid"] = i => i.AmountPaid,
            ["createdAt"] = i => i.CreatedAt,
            ["dueDate"] = i => i.DueDate,
            ["id"] = i => StoredId(i.Id),
            ["issueDate"] = i => i.IssueDate,
            ["number"] = i => i.Number,
            ["paidAt"] = i => i.PaidAt,
            ["paymentStatus"] = i => (int)i.PaymentStatus,
            ["sentAt"] = i => i.SentAt,
            ["status"] = i => (int)i.Status,
            ["total"] = i => i.Total,
            ["updatedAt"] = i => i.UpdatedAt,
        },
        RandomInvoice,
        [
            ("&status=SENT", i => i.Status == InvoiceStatus.Sent),
            ("&paymentStatus=Partially_Paid", i => i.PaymentStatus == PaymentStatus.PartiallyPaid),
            ("&totalMin=10&totalMax=100.00", i => i.Total is >= 10m and <= 100m),
            ("&sentAtFrom=2026-03-01T09:00:10Z&paidAtTo=2026-03-01", i => i.SentAt >= s_base.AddSeconds(10) && i.PaidAt is not null),
            ("&search=inv-1", i => i.Number.Contains("inv-1", StringComparison.OrdinalIgnoreCase)),
        ]);

    /// <summary>
    /// EF Core stores a Guid in SQLite as upper-case "D" text, and the database orders ids as that
    /// text: ordinal order over these strings is the id tie-break.
    /// </summary>
    private static string StoredId(Guid id) => id.ToString("D").ToUpperInvariant();

    private static int CompareKeys(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => ((IComparable)a).CompareTo(b),
    };

    [Fact]
    public async Task Ids_are_stored_as_upper_case_text_which_is_the_order_the_tests_expect()
    {
        var fixture = await FixtureAsync();
        var rows = await InsertAsync(fixture, s_timeEntries, new Random(1), 5);

        // SQLite keeps ids as upper-case text; PostgreSQL as uuid, which compares byte by byte: the same order.
        var sql = TempDatabase.IsPostgres
            ? "SELECT pg_typeof(\"Id\")::text || ' ' || upper(\"Id\"::text) AS \"Value\" FROM \"TimeEntries\""
            : "SELECT typeof(\"Id\") || ' ' || \"Id\" AS \"Value\" FROM \"TimeEntries\"";
        var stored = await factory.WithDbAsync(db => db.Database.SqlQueryRaw<string>(sql).ToListAsync());

        var type = TempDatabase.IsPostgres ? "uuid" : "text";
        Assert.All(rows, row => Assert.Contains($"{type} {StoredId(row.Id)}", stored));
    }

    [Fact]
    public void The_scenarios_cover_every_sort_field_the_lists_declare()
    {
        Assert.Equal(s_timeEntries.Spec.SortFields.Order(StringComparer.Ordinal), s_timeEntries.Keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(s_expenses.Spec.SortFields.Order(StringComparer.Ordinal), s_expenses.Keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(s_tasks.Spec.SortFields.Order(StringComparer.Ordinal), s_tasks.Keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(s_invoices.Spec.SortFields.Order(StringComparer.Ordinal), s_invoices.Keys.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task Walking_time_entries_by_every_sort_yields_exactly_the_expected_order(int seed) => WalkEverySortAsync(s_timeEntries, seed);

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task Walking_expenses_by_every_sort_yields_exactly_the_expected_order(int seed) => WalkEverySortAsync(s_expenses, seed);

    [Theory]
    [MemberData(nameof(FewerSeeds))]
    public Task Walking_tasks_by_every_sort_yields_exactly_the_expected_order(int seed) => WalkEverySortAsync(s_tasks, seed);

    [Theory]
    [MemberData(nameof(FewerSeeds))]
    public Task Walking_invoices_by_every_sort_yields_exactly_the_expected_order(int seed) => WalkEverySortAsync(s_invoices, seed);

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task Time_entries_inserted_or_deleted_while_paging_never_make_a_row_skip_or_repeat(int seed) => WalkWhileChangingAsync(s_timeEntries, seed);

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task Expenses_inserted_or_deleted_while_paging_never_make_a_row_skip_or_repeat(int seed) => WalkWhileChangingAsync(s_expenses, seed);

    /// <summary>
    /// Every sort field in both directions, every filter of the scenario and includeDeleted: each walk
    /// returns exactly the rows that match, in exactly the order computed in memory.
    /// </summary>
    private async Task WalkEverySortAsync<T>(Scenario<T> scenario, int seed)
        where T : WorkspaceEntity
    {
        var random = new Random(seed);
        var fixture = await FixtureAsync();
        var rows = await InsertAsync(fixture, scenario, random, random.Next(60, 101));
        var reader = new ListReader(fixture.Workspace, fixture.Workspace.OwnerId);
        var alive = rows.Where(r => !Scenario<T>.IsDeleted(r)).ToList();

        foreach (var field in scenario.Keys.Keys)
        {
            foreach (var descending in new[] { false, true })
            {
                var limit = random.Next(1, 26);
                var sort = (descending ? "-" : "") + field;
                var actual = await reader.WalkAsync(scenario.Path, "&sort=" + sort, limit);
                AssertSameOrder(Expected(alive, scenario.Order(field, descending)), actual, $"seed {seed}, sort={sort}, limit={limit}");
            }
        }

        foreach (var (query, matches) in scenario.Filters)
        {
            var (field, descending, limit) = RandomSort(scenario, random);
            var sort = (descending ? "-" : "") + field;
            var actual = await reader.WalkAsync(scenario.Path, $"&sort={sort}{query}", limit);
            AssertSameOrder(Expected(alive.Where(matches), scenario.Order(field, descending)), actual, $"seed {seed}, sort={sort}{query}, limit={limit}");
        }

        if (!Scenario<T>.SoftDeletes)
        {
            return;
        }

        // A sync walks deleted rows too.
        var (syncField, syncDescending, syncLimit) = RandomSort(scenario, random);
        var syncSort = (syncDescending ? "-" : "") + syncField;
        var withDeleted = await reader.WalkAsync(scenario.Path, $"&sort={syncSort}&includeDeleted=true", syncLimit);
        AssertSameOrder(Expected(rows, scenario.Order(syncField, syncDescending)), withDeleted, $"seed {seed}, sort={syncSort}&includeDeleted=true, limit={syncLimit}");
        Assert.Contains(rows, Scenario<T>.IsDeleted);
    }

    /// <summary>
    /// Between page fetches, new rows land at random places in the order and random rows are
    /// soft-deleted. A row that existed when the walk began and was never deleted comes back exactly
    /// once, no row comes back twice, and what comes back is still strictly in order.
    /// </summary>
    private async Task WalkWhileChangingAsync<T>(Scenario<T> scenario, int seed)
        where T : WorkspaceEntity, ISoftDeletable
    {
        var random = new Random(seed);
        var fixture = await FixtureAsync();
        var rows = (await InsertAsync(fixture, scenario, random, random.Next(60, 101))).ToDictionary(r => r.Id);
        var deleted = rows.Values.Where(r => r.DeletedAt is not null).Select(r => r.Id).ToHashSet();
        var reader = new ListReader(fixture.Workspace, fixture.Workspace.OwnerId);

        foreach (var field in scenario.Keys.Keys)
        {
            var descending = random.Next(2) == 1;
            var limit = random.Next(1, 16);
            var sort = (descending ? "-" : "") + field;
            var context = $"seed {seed}, sort={sort}, limit={limit}";
            var atStart = rows.Keys.Where(id => !deleted.Contains(id)).ToHashSet();
            var deletedDuring = new HashSet<Guid>();

            var returned = await reader.WalkAsync(scenario.Path, "&sort=" + sort, limit, async () =>
            {
                var added = await InsertAsync(fixture, scenario, random, random.Next(0, 4));
                foreach (var row in added)
                {
                    rows.Add(row.Id, row);
                }

                // Some new rows arrive already deleted (a sync sees those; a plain list never does).
                deleted.UnionWith(added.Where(r => r.DeletedAt is not null).Select(r => r.Id));

                var candidates = rows.Keys.Where(id => !deleted.Contains(id)).ToList();
                var doomed = Enumerable.Range(0, random.Next(0, 3)).Select(_ => candidates[random.Next(candidates.Count)]).Distinct().ToList();
                Assert.Equal(doomed.Count, await SoftDeleteAsync<T>(doomed));
                deleted.UnionWith(doomed);
                deletedDuring.UnionWith(doomed);
            });

            var duplicates = returned.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, $"{context}: returned twice: {string.Join(", ", duplicates)}");
            var skipped = atStart.Except(deletedDuring).Except(returned).ToList();
            Assert.True(skipped.Count == 0, $"{context}: skipped {skipped.Count} rows that were there all along: {string.Join(", ", skipped)}");
            var unknown = returned.Where(id => !rows.ContainsKey(id) || (deleted.Contains(id) && !deletedDuring.Contains(id))).ToList();
            Assert.True(unknown.Count == 0, $"{context}: returned rows deleted before the walk or never inserted: {string.Join(", ", unknown)}");
            var order = scenario.Order(field, descending);
            for (var i = 1; i < returned.Count; i++)
            {
                Assert.True(order.Compare(rows[returned[i - 1]], rows[returned[i]]) < 0, $"{context}: row {i} ({returned[i]}) comes before row {i - 1} ({returned[i - 1]}) in the sort");
            }
        }
    }

    private static (string Field, bool Descending, int Limit) RandomSort<T>(Scenario<T> scenario, Random random)
        where T : WorkspaceEntity
    {
        var fields = scenario.Keys.Keys.ToList();
        return (fields[random.Next(fields.Count)], random.Next(2) == 1, random.Next(1, 26));
    }

    private static List<Guid> Expected<T>(IEnumerable<T> rows, IComparer<T> order)
        where T : WorkspaceEntity => [.. rows.Order(order).Select(r => r.Id)];

    private static void AssertSameOrder(List<Guid> expected, List<Guid> actual, string context)
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }

        var at = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(i => expected[i] != actual[i], Math.Min(expected.Count, actual.Count));
        var message = new StringBuilder()
            .Append(context).Append(": expected ").Append(expected.Count).Append(" rows, got ").Append(actual.Count)
            .Append("; duplicates ").Append(actual.Count - actual.Distinct().Count())
            .Append(", missing ").Append(expected.Except(actual).Count())
            .Append(", extra ").Append(actual.Except(expected).Count())
            .Append("; first difference at ").Append(at).Append(": expected ")
            .Append(at < expected.Count ? expected[at] : "(end)").Append(", got ").Append(at < actual.Count ? actual[at] : "(end)");
        Assert.Fail(message.ToString());
    }

    private async Task<Fixture> FixtureAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (clientId, projectId) = await factory.AddClientAndProjectAsync(workspace, s_base);
        var runners = await factory.WithDbAsync(async db =>
        {
            var members = Enumerable.Range(0, 64).Select(i => new Member
            {
                WorkspaceId = workspace.Id,
                Name = $"Runner {i}",
                Email = $"runner-{i}-{Guid.NewGuid():N}@example.com",
                Role = Role.Member,
                CreatedAt = s_base,
                UpdatedAt = s_base,
            }).ToList();
            db.Members.AddRange(members);
            await db.SaveChangesAsync();
            return members.Select(m => m.Id);
        });
        return new Fixture(workspace, clientId, projectId, new Queue<Guid>(runners));
    }

    private Task<List<T>> InsertAsync<T>(Fixture fixture, Scenario<T> scenario, Random random, int count)
        where T : WorkspaceEntity
    {
        var rows = Enumerable.Range(0, count).Select(_ => scenario.Make(random, fixture)).ToList();
        return factory.WithDbAsync(async db =>
        {
            db.AddRange(rows);
            await db.SaveChangesAsync();
            return rows;
        });
    }

    private Task<int> SoftDeleteAsync<T>(List<Guid> ids)
        where T : WorkspaceEntity, ISoftDeletable
    {
        var now = DateTime.UtcNow;
        return factory.WithDbAsync(db => db.Set<T>().Where(r => ids.Contains(r.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(r => EF.Property<DateTime?>(r, "DeletedAt"), now).SetProperty(r => r.UpdatedAt, now)));
    }

    /// <summary>A timestamp from a small range, so many rows share one (ties) and sub-second parts vary.</summary>
    private static DateTime RandomTimestamp(Random random) => s_base.AddSeconds(random.Next(30)).AddTicks(s_fractions[random.Next(s_fractions.Length)]);

    /// <summary>A UUIDv7 of a random moment: ids follow neither insertion nor creation order.</summary>
    private static Guid RandomId(Random random) => Guid.CreateVersion7(new DateTimeOffset(s_base).AddMilliseconds(random.Next(1_000_000)));

    private static TimeEntry RandomEntry(Random random, Fixture fixture)
    {
        var createdAt = RandomTimestamp(random);
        var running = random.Next(5) == 0 && fixture.Runners.Count > 0;
        return new TimeEntry
        {
            Id = RandomId(random),
            WorkspaceId = fixture.Workspace.Id,
            MemberId = running ? fixture.Runners.Dequeue() : fixture.Workspace.OwnerId,
            ProjectId = fixture.ProjectId,
            EntryDate = s_firstDay.AddDays(random.Next(20)),
            DurationSeconds = running ? null : random.Next(12) * 900L,
            StartedAt = running ? createdAt : null,
            Note = random.Next(4) == 0 ? null : s_notes[random.Next(s_notes.Length)],
            Billable = random.Next(3) != 0,
            CreatedAt = createdAt,
            UpdatedAt = createdAt.AddMinutes(random.Next(3)),
            DeletedAt = random.Next(10) == 0 ? createdAt.AddHours(1) : null,
        };
    }

    private static Expense RandomExpense(Random random, Fixture fixture)
    {
        var createdAt = RandomTimestamp(random);
        return new Expense
        {
            Id = RandomId(random),
            WorkspaceId = fixture.Workspace.Id,
            ClientId = fixture.ClientId,
            ProjectId = random.Next(2) == 0 ? fixture.ProjectId : null,
            Description = random.Next(3) == 0 ? "Taxi to the airport" : $"Receipt {random.Next(1000)}",
            Category = Enum.GetValues<ExpenseCategory>()[random.Next(Enum.GetValues<ExpenseCategory>().Length)],
            Amount = random.Next(2) == 0 ? s_amounts[random.Next(s_amounts.Length)] : random.Next(0, 200_000) / 100m,
            Currency = "EUR",
            Billable = random.Next(3) != 0,
            ExpenseDate = s_firstDay.AddDays(random.Next(20)),
            CreatedAt = createdAt,
            UpdatedAt = createdAt.AddMinutes(random.Next(3)),
            DeletedAt = random.Next(10) == 0 ? createdAt.AddHours(1) : null,
        };
    }

    private static TaskPriority? RandomPriority(Random random) => random.Next(4) switch
    {
        0 => null,
        var n => (TaskPriority)(n - 1),
    };

    private static DateOnly? RandomDay(Random random) => random.Next(3) == 0 ? null : s_firstDay.AddDays(random.Next(15));

    private static WorkTask RandomTask(Random random, Fixture fixture)
    {
        var createdAt = RandomTimestamp(random);
        return new WorkTask
        {
            Id = RandomId(random),
            WorkspaceId = fixture.Workspace.Id,
            ProjectId = fixture.ProjectId,
            Name = s_names[random.Next(s_names.Length)],
            Status = (WorkTaskStatus)random.Next(3),
            Priority = RandomPriority(random),
            Billable = random.Next(3) != 0,
            StartDate = RandomDay(random),
            DueDate = RandomDay(random),
            EndDate = RandomDay(random),
            CreatedAt = createdAt,
            UpdatedAt = createdAt.AddMinutes(random.Next(3)),
            DeletedAt = random.Next(10) == 0 ? createdAt.AddHours(1) : null,
        };
    }

    private static Invoice RandomInvoice(Random random, Fixture fixture)
    {
        var createdAt = RandomTimestamp(random);
        var id = RandomId(random);
        var status = (InvoiceStatus)random.Next(4);
        var total = random.Next(2) == 0 ? s_amounts[random.Next(s_amounts.Length)] : random.Next(0, 200_000) / 100m;
        var paid = random.Next(3) == 0;
        return new Invoice
        {
            Id = id,
            WorkspaceId = fixture.Workspace.Id,
            ClientId = fixture.ClientId,
            // Unique per workspace, yet sorting by text: "INV-10-…" before "INV-9-…", upper before lower case.
            Number = $"{(random.Next(2) == 0 ? "INV" : "inv")}-{random.Next(1, 30)}-{id:N}",
            Status = status,
            PaymentStatus = (PaymentStatus)random.Next(4),
            Subtotal = total,
            Total = total,
            AmountPaid = paid ? total : random.Next(2) == 0 ? 0m : s_amounts[random.Next(s_amounts.Length)],
            Currency = "EUR",
            IssueDate = s_firstDay.AddDays(random.Next(15)),
            DueDate = RandomDay(random),
            SentAt = status == InvoiceStatus.Draft ? null : RandomTimestamp(random),
            PaidAt = paid ? RandomTimestamp(random) : null,
            CreatedAt = createdAt,
            UpdatedAt = createdAt.AddMinutes(random.Next(3)),
            // Only drafts are deleted; a walk must skip them unless includeDeleted.
            DeletedAt = status == InvoiceStatus.Draft && random.Next(3) == 0 ? createdAt.AddHours(1) : null,
        };
    }
}
