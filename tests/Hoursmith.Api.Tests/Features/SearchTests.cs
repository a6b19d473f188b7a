using System.Net.Http.Json;
using Hoursmith.Api.Data;
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
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Features;

/// <summary>
/// <c>?search=</c> (conventions.md, "Pagination, sorting, search, filters"; docs/lists.md, "Search"):
/// a case-insensitive substring match over each collection's declared fields, answered from a
/// substring index (SQLite FTS5 trigram tables kept by triggers, PostgreSQL pg_trgm GIN indexes),
/// with the same results as a plain substring test, whatever the term holds.
/// </summary>
public class SearchTests(CommandCaptureFactory factory) : IClassFixture<CommandCaptureFactory>
{
    private const string Entries = "/api/v1/time-entries";
    private const string Clients = "/api/v1/clients";

    private static readonly DateTime s_base = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly s_day = new(2026, 3, 5);

    private sealed record Setup(TestWorkspace Workspace, ListReader Owner, Guid ClientId, Guid ProjectId);

    private async Task<Setup> SetupAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (clientId, projectId) = await factory.AddClientAndProjectAsync(workspace, s_base);
        return new Setup(workspace, new ListReader(workspace, workspace.OwnerId), clientId, projectId);
    }

    private Task<List<TimeEntry>> EntriesAsync(Setup setup, params string?[] notes) => EntriesAsync(setup, setup.Workspace.OwnerId, 0, notes);

    /// <summary>One entry per note, a second apart in creation order from <paramref name="firstSecond"/>.</summary>
    private Task<List<TimeEntry>> EntriesAsync(Setup setup, Guid memberId, int firstSecond, params string?[] notes) => factory.WithDbAsync(async db =>
    {
        var rows = notes.Select((note, i) => new TimeEntry
        {
            WorkspaceId = setup.Workspace.Id,
            MemberId = memberId,
            ProjectId = setup.ProjectId,
            EntryDate = s_day,
            DurationSeconds = 3600,
            Note = note,
            Billable = i % 2 == 0,
            CreatedAt = s_base.AddSeconds(firstSecond + i),
            UpdatedAt = s_base.AddSeconds(firstSecond + i),
        }).ToList();
        db.AddRange(rows);
        await db.SaveChangesAsync();
        return rows;
    });

    private static string Search(string term) => "search=" + Uri.EscapeDataString(term);

    /// <summary>What the API must return for a term: the rows whose note contains it, ignoring case, in creation order.</summary>
    private static List<Guid> Containing(IEnumerable<TimeEntry> rows, string term) =>
        [.. rows.Where(r => r.Note?.Contains(term, StringComparison.OrdinalIgnoreCase) == true).Select(r => r.Id)];

    private static string Marker() => "Qz" + Guid.NewGuid().ToString("N")[..10];

    // --- the indexes and the lists agree ------------------------------------------------------

    public static TheoryData<string> SearchableCollections => ["clients", "projects", "tasks", "time-entries", "expenses", "invoices", "members", "tokens"];

    private static (Type Entity, IReadOnlyList<string> Properties) SearchFieldsOf(string collection) => collection switch
    {
        "clients" => Fields(ClientEndpoints.List),
        "projects" => Fields(ProjectEndpoints.List),
        "tasks" => Fields(TaskEndpoints.List),
        "time-entries" => Fields(TimeEntryEndpoints.List),
        "expenses" => Fields(ExpenseEndpoints.List),
        "invoices" => Fields(InvoiceEndpoints.List),
        "members" => Fields(MemberEndpoints.List),
        "tokens" => Fields(TokenEndpoints.List),
        _ => throw new ArgumentOutOfRangeException(nameof(collection)),
    };

    private static (Type, IReadOnlyList<string>) Fields<T>(ListSpec<T> spec) where T : class, Hoursmith.Api.Infrastructure.IHasId =>
        (typeof(T), [.. spec.SearchFields.Select(f => ((System.Linq.Expressions.MemberExpression)f.Body).Member.Name)]);

    [Theory]
    [MemberData(nameof(SearchableCollections))]
    public async Task The_search_index_holds_exactly_the_fields_the_list_declares(string collection)
    {
        var (entity, properties) = SearchFieldsOf(collection);
        Assert.Equal(properties, SearchIndexes.Columns.Single(c => c.Entity == entity).Columns);

        var (table, columns) = await factory.WithDbAsync(db =>
        {
            var type = db.Model.FindEntityType(entity)!;
            return Task.FromResult((type.GetTableName()!, properties.Select(p => type.FindProperty(p)!.GetColumnName()).ToList()));
        });

        if (TempDatabase.IsPostgres)
        {
            var indexes = await factory.WithDbAsync(db => db.Database
                .SqlQuery<string>($"SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = {table}").ToListAsync());
            Assert.All(columns, column => Assert.Contains(indexes, d => d.Contains($"USING gin (\"{column}\" gin_trgm_ops)", StringComparison.Ordinal)));
            return;
        }

        var fts = SearchIndexes.SqliteTable(table);
        var ftsColumns = await factory.WithDbAsync(db => db.Database
            .SqlQuery<string>($"SELECT name AS \"Value\" FROM pragma_table_info({fts})").ToListAsync());
        Assert.Equal(columns, ftsColumns);
        var triggers = await factory.WithDbAsync(db => db.Database
            .SqlQuery<string>($"SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND tbl_name = {table}").ToListAsync());
        Assert.Equal([$"{table}_SearchDelete", $"{table}_SearchInsert", $"{table}_SearchUpdate"], triggers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_migration_indexes_rows_that_were_there_before_it_and_its_down_step_removes_the_index()
    {
        using var database = new TempDatabase(migrated: false);
        var Open = database.OpenContext;
        var migrations = await Task.Run(() => { using var db = Open(); return db.Database.GetMigrations().ToList(); });
        var searchMigration = Assert.Single(migrations, m => m.EndsWith("_SearchIndexes", StringComparison.Ordinal));
        var before = migrations[migrations.IndexOf(searchMigration) - 1];
        var marker = Marker().ToLowerInvariant();

        await using (var db = Open())
        {
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync(before);
            var workspace = new Workspace { Name = "Before search", Plan = Plan.Studio, Currency = "EUR", CreatedAt = s_base, UpdatedAt = s_base };
            db.Add(workspace);
            await db.SaveChangesAsync();
            await OldSchema.InsertClientAsync(db, new Client { WorkspaceId = workspace.Id, Name = $"Old {marker.ToUpperInvariant()} client", Currency = "EUR", CreatedAt = s_base, UpdatedAt = s_base });
            await db.Database.MigrateAsync();
        }

        await using (var db = Open())
        {
            var id = await db.Clients.Where(c => c.Name.StartsWith("Old ")).Select(c => c.Id).SingleAsync();
            if (TempDatabase.IsPostgres)
            {
                var indexes = await db.Database.SqlQuery<string>($"SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'Clients'").ToListAsync();
                Assert.Contains("IX_Clients_Name_Trgm", indexes);
            }
            else
            {
                var match = $"{{Name}} : \"{marker}\"";
                var found = await db.Database.SqlQuery<Guid>(
                    $"SELECT \"Id\" AS \"Value\" FROM \"ClientsSearchIds\" WHERE \"DocId\" IN (SELECT rowid FROM \"ClientsSearch\" WHERE \"ClientsSearch\" MATCH {match})").ToListAsync();
                Assert.Equal([id], found);
            }

            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync(before);
            var left = TempDatabase.IsPostgres
                ? await db.Database.SqlQuery<string>($"SELECT indexname AS \"Value\" FROM pg_indexes WHERE indexname LIKE '%Trgm'").ToListAsync()
                : await db.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM sqlite_master WHERE name LIKE '%Search%'").ToListAsync();
            Assert.Empty(left);
            // The table works without its triggers.
            await OldSchema.InsertClientAsync(db, new Client { WorkspaceId = (await db.Workspaces.FirstAsync()).Id, Name = "After down", Currency = "EUR", CreatedAt = s_base, UpdatedAt = s_base });
        }
    }

    // --- every collection, every field, through the index ----------------------------------------

    [Fact]
    public async Task Every_collection_finds_a_row_by_each_searched_field_in_any_case_through_the_index()
    {
        var setup = await SetupAsync();
        var workspaceId = setup.Workspace.Id;
        var cases = new List<(string Path, string Term, Guid Expected)>();
        var marks = Enumerable.Range(0, 20).Select(_ => Marker().ToLowerInvariant()).ToArray();
        var rows = await factory.WithDbAsync(async db =>
        {
            var client = new Client { WorkspaceId = workspaceId, Name = $"Client {marks[0]}", ContactName = $"Contact {marks[1]}", Email = $"billing-{marks[2]}@example.com", Currency = "EUR", CreatedAt = s_base, UpdatedAt = s_base };
            var project = new Project { WorkspaceId = workspaceId, Client = client, Name = $"Project {marks[3]}", Description = $"About {marks[4]}", CreatedAt = s_base, UpdatedAt = s_base };
            var task = new WorkTask { WorkspaceId = workspaceId, Project = project, Name = $"Task {marks[5]}", Description = $"Steps {marks[6]}", CreatedAt = s_base, UpdatedAt = s_base };
            var entry = new TimeEntry { WorkspaceId = workspaceId, MemberId = setup.Workspace.OwnerId, Project = project, EntryDate = s_day, DurationSeconds = 60, Note = $"Note {marks[7]}", CreatedAt = s_base, UpdatedAt = s_base };
            var expense = new Expense
            {
                WorkspaceId = workspaceId,
                Client = client,
                Category = ExpenseCategory.Other,
                Description = $"Receipt {marks[8]}",
                CustomCategory = $"Kind {marks[9]}",
                Amount = 10m,
                Currency = "EUR",
                ExpenseDate = s_day,
                CreatedAt = s_base,
                UpdatedAt = s_base,
            };
            var invoice = new Invoice
            {
                WorkspaceId = workspaceId,
                Client = client,
                Number = $"INV-{marks[10]}",
                Status = InvoiceStatus.Draft,
                PaymentStatus = PaymentStatus.Unpaid,
                Currency = "EUR",
                IssueDate = s_day,
                CreatedAt = s_base,
                UpdatedAt = s_base,
            };
            db.AddRange(client, project, task, entry, expense, invoice);
            await db.SaveChangesAsync();
            return (client.Id, project.Id, task.Id, entry.Id, expense.Id, invoice.Id);
        });
        var member = await factory.WithAdminAsync(admin => admin.AddMemberAsync(workspaceId, $"m-{marks[12]}@example.com", $"Member {marks[11]}", Role.Member));
        var token = await setup.Workspace.MintAsync(setup.Workspace.OwnerId, $"Token {marks[13]}");

        cases.AddRange(
        [
            (Clients, marks[0], rows.Item1), (Clients, marks[1], rows.Item1), (Clients, marks[2], rows.Item1),
            ("/api/v1/projects", marks[3], rows.Item2), ("/api/v1/projects", marks[4], rows.Item2),
            ("/api/v1/tasks", marks[5], rows.Item3), ("/api/v1/tasks", marks[6], rows.Item3),
            (Entries, marks[7], rows.Item4),
            ("/api/v1/expenses", marks[8], rows.Item5), ("/api/v1/expenses", marks[9], rows.Item5),
            ("/api/v1/invoices", marks[10], rows.Item6),
            ("/api/v1/members", marks[11], member.Id), ("/api/v1/members", marks[12], member.Id),
            ("/api/v1/tokens", marks[13], token.Record.Id),
        ]);

        foreach (var (path, term, expected) in cases)
        {
            // Stored in lower case, searched in upper case, by a part of the marker.
            var upper = term.ToUpperInvariant()[1..^1];
            Assert.True(expected == Assert.Single(await setup.Owner.IdsAsync($"{path}?{Search(upper)}")), $"{path}?search={upper}");
            Assert.Empty(await setup.Owner.IdsAsync($"{path}?{Search(upper + "#")}"));

            var command = factory.Commands.Last(c => c.HasValue(upper));
            var plan = await factory.PlanAsync(command);
            AssertUsesSearchIndex(command, plan, $"{path}?search={upper}");
        }
    }

    /// <summary>
    /// SQLite: the term goes to an FTS5 table (MATCH), read through its index, and the list's own
    /// table is never scanned whole. PostgreSQL: ILIKE, which its trigram indexes serve (whether the
    /// planner uses them depends on the data: see the time-entry test with a populated table).
    /// </summary>
    private static void AssertUsesSearchIndex(CapturedCommand command, IReadOnlyList<string> plan, string context)
    {
        var shown = $"{context}\n{command.Sql}\nplan:\n{string.Join('\n', plan)}";
        if (TempDatabase.IsPostgres)
        {
            Assert.True(command.Sql.Contains(" ILIKE ", StringComparison.Ordinal), shown);
            return;
        }

        Assert.True(command.Sql.Contains(" MATCH ", StringComparison.Ordinal) && !command.Sql.Contains("instr(", StringComparison.Ordinal), shown);
        Assert.True(plan.Any(line => line.Contains("Search VIRTUAL TABLE INDEX", StringComparison.Ordinal)), shown);
        // A full pass over a table is "SCAN t" (or "SCAN t USING ... INDEX"). Only the FTS table, through
        // its index, and the page EF wraps in a subquery (a co-routine over at most limit + 1 rows) may be scanned.
        var subqueries = plan.Where(line => line.StartsWith("CO-ROUTINE ", StringComparison.Ordinal) || line.StartsWith("MATERIALIZE ", StringComparison.Ordinal))
            .Select(line => line.Split(' ')[1]).ToHashSet();
        Assert.False(plan.Any(line => line.StartsWith("SCAN ", StringComparison.Ordinal)
            && !line.Contains("VIRTUAL TABLE INDEX", StringComparison.Ordinal) && !subqueries.Contains(line.Split(' ')[1])), shown);
    }

    [Fact]
    public async Task A_search_of_time_entries_reads_the_trigram_index_not_every_entry()
    {
        var setup = await SetupAsync();
        var rare = Marker().ToLowerInvariant();
        var words = new[] { "standup", "review", "design", "call", "migration", "deploy", "login", "invoice", "planning", "support" };
        var notes = Enumerable.Range(0, 5000).Select(i => $"{words[i % words.Length]} {words[(i * 7) % words.Length]} #{i}").ToArray();
        notes[100] = $"Fixed {rare} on staging";
        notes[3900] = $"{rare.ToUpperInvariant()} again";
        var rows = await EntriesAsync(setup, notes);
        if (TempDatabase.IsPostgres)
        {
            // What autovacuum does to a real table: statistics, and the GIN indexes' pending entries merged.
            await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE \"TimeEntries\""));
        }

        Assert.Equal([rows[3900].Id, rows[100].Id], await setup.Owner.IdsAsync($"{Entries}?{Search(rare)}"));

        var command = factory.Commands.Last(c => c.HasValue(rare));
        var plan = await factory.PlanAsync(command, "SET enable_seqscan = off");
        var shown = $"{command.Sql}\nplan:\n{string.Join('\n', plan)}";
        if (TempDatabase.IsPostgres)
        {
            Assert.True(plan.Any(line => line.Contains("Bitmap Index Scan on \"IX_TimeEntries_Note_Trgm\"", StringComparison.Ordinal)), shown);
        }
        else
        {
            AssertUsesSearchIndex(command, plan, "time entries");
            Assert.Contains(plan, line => line.Contains("SCAN TimeEntriesSearch VIRTUAL TABLE INDEX", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_rare_term_is_answered_by_the_index_and_a_common_one_by_a_bounded_walk_in_list_order_with_the_same_results()
    {
        var setup = await SetupAsync();
        var (common, rare, accented) = (Marker().ToLowerInvariant(), Marker().ToLowerInvariant(), "é" + Marker().ToLowerInvariant());
        // The common term is in as many notes as ListSearch.IndexFirstMatches (its probe stops counting
        // there); the rare one in two, the oldest, so a walk in list order would read everything to find them.
        var notes = Enumerable.Range(0, ListSearch.IndexFirstMatches + 5).Select(i => $"{common.ToUpperInvariant()} filler #{i}").ToArray();
        foreach (var i in new[] { 3, 7 })
        {
            notes[i] = $"oldest {rare} and {accented} #{i}";
        }

        var rows = await EntriesAsync(setup, notes);
        foreach (var (term, limit) in new[] { (common, 200), (rare, 1), (accented.ToUpperInvariant(), 1) })
        {
            var before = factory.Commands.Count;
            var expected = Containing(rows, term);
            expected.Reverse();
            Assert.Equal(expected, await setup.Owner.WalkAsync(Entries, $"&{Search(term)}", limit: limit));
            if (TempDatabase.IsPostgres)
            {
                continue;
            }

            var pages = Math.Max(1, (expected.Count + limit - 1) / limit);
            var commands = factory.Commands.Skip(before)
                .Where(c => c.Parameters.Any(p => p.Value is string v && v.Contains(ListSearch.SqliteFold(term), StringComparison.OrdinalIgnoreCase)))
                .ToList();
            var probes = commands.Count(c => c.Sql.Contains("count(*)", StringComparison.Ordinal) && c.Sql.Contains(" MATCH ", StringComparison.Ordinal));
            var walks = commands.Count(c => c.Sql.Contains("instr(", StringComparison.Ordinal));
            var indexReads = commands.Count(c => c.Sql.Contains(" MATCH ", StringComparison.Ordinal)) - probes;
            var shown = $"search={term}: {pages} pages, {probes} probes, {walks} walks, {indexReads} index reads:\n{string.Join("\n", commands.Select(c => c.Sql))}";
            if (term == common)
            {
                // Each page asks the index how common the term is, then walks; the index only confirms the last page.
                Assert.True(probes == pages && walks == pages && indexReads == 1, shown);
            }
            else if (term == rare)
            {
                // Each page: the probe, then the index at once; no walk.
                Assert.True(probes == pages && walks == 0 && indexReads == pages, shown);
            }
            else
            {
                // A walk cannot fold other letters as the index does: the index at once, nothing to probe.
                Assert.True(probes == 0 && walks == 0 && indexReads == pages, shown);
            }
        }
    }

    // --- the index follows the rows ---------------------------------------------------------------

    [Fact]
    public async Task The_index_follows_rows_as_they_are_created_changed_deleted_restored_and_removed()
    {
        var setup = await SetupAsync();
        var (first, second, third) = (Marker(), Marker(), Marker());
        var owner = setup.Workspace.Client((await setup.Workspace.MintAsync(setup.Workspace.OwnerId)).Token);
        async Task<IReadOnlyList<Guid>> FindAsync(string term, bool includeDeleted = false) =>
            await setup.Owner.IdsAsync($"{Clients}?{Search(term)}{(includeDeleted ? "&includeDeleted=true" : "")}");

        var created = await owner.PostAsJsonAsync(Clients, new { name = $"Northwind {first}", contactName = $"Nora {second}", email = "nora@example.com" });
        Assert.Equal(201, (int)created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
        Assert.Equal([id], await FindAsync(first));
        Assert.Equal([id], await FindAsync(second));

        // The name changes: the old text is no longer found, the new one is; the unchanged contact still is.
        Assert.Equal(200, (int)(await owner.PatchAsJsonAsync($"{Clients}/{id}", new { name = $"Southwind {third}" })).StatusCode);
        Assert.Empty(await FindAsync(first));
        Assert.Equal([id], await FindAsync(third));
        Assert.Equal([id], await FindAsync(second));
        Assert.Equal([id], await FindAsync("southWIND " + third[..4]));

        // A field cleared.
        Assert.Equal(200, (int)(await owner.PatchAsJsonAsync($"{Clients}/{id}", new { contactName = (string?)null })).StatusCode);
        Assert.Empty(await FindAsync(second));

        // Soft-deleted: gone from lists, found by a sync.
        Assert.Equal(204, (int)(await owner.DeleteAsync($"{Clients}/{id}")).StatusCode);
        Assert.Empty(await FindAsync(third));
        Assert.Equal([id], await FindAsync(third, includeDeleted: true));

        // Restored.
        await factory.WithDbAsync(db => db.Clients.IgnoreQueryFilters().Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, (DateTime?)null)));
        Assert.Equal([id], await FindAsync(third));

        // Changed outside EF's change tracking (a bulk UPDATE), then removed for good.
        await factory.WithDbAsync(db => db.Clients.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Email, $"ap-{first}@example.com")));
        Assert.Equal([id], await FindAsync(first));
        await factory.WithDbAsync(db => db.Clients.IgnoreQueryFilters().Where(c => c.Id == id).ExecuteDeleteAsync());
        Assert.Empty(await FindAsync(third, includeDeleted: true));
        Assert.Empty(await FindAsync(first, includeDeleted: true));

        if (!TempDatabase.IsPostgres)
        {
            // One index row per client, and an index FTS5 itself finds sound.
            var counts = await factory.WithDbAsync(async db => (
                await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM \"Clients\"").SingleAsync(),
                await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM \"ClientsSearchIds\"").SingleAsync()));
            Assert.Equal(counts.Item1, counts.Item2);
            await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("INSERT INTO \"ClientsSearch\" (\"ClientsSearch\") VALUES ('integrity-check')"));
        }
    }

    // --- what a term means -------------------------------------------------------------------------

    [Fact]
    public async Task One_two_and_longer_terms_match_every_row_that_contains_them_in_list_order_across_pages()
    {
        var setup = await SetupAsync();
        var random = new Random(20_260_301);
        const string letters = "abcAB c";
        var notes = Enumerable.Range(0, 100)
            .Select(_ => random.Next(8) == 0 ? null : new string([.. Enumerable.Range(0, random.Next(0, 11)).Select(_ => letters[random.Next(letters.Length)])]))
            .ToArray();
        var rows = await EntriesAsync(setup, notes);

        foreach (var term in new[] { "a", "B", "c", "ab", "Ba", "b c", "aBc", "cab", "abca", "A B", "bb b" })
        {
            var expected = Containing(rows, term);
            Assert.True(expected.Count > 0 || term == "bb b", $"no note contains {term}: the test data no longer test it");
            var walked = await setup.Owner.WalkAsync(Entries, $"&sort=createdAt&{Search(term)}", limit: 3);
            Assert.True(expected.SequenceEqual(walked), $"search={term}: expected {expected.Count} rows, walked {walked.Count}");
        }
    }

    [Fact]
    public async Task Letter_case_is_folded_beyond_ascii_by_one_two_and_longer_terms_alike_and_accents_count()
    {
        var setup = await SetupAsync();
        var tag = Marker();
        var rows = await EntriesAsync(setup, $"École Ünïcode {tag}", $"ÉCOLE {tag}", $"ΣΊΣΥΦΟΣ {tag}", $"привет ДОМ {tag}", $"Straße {tag}", $"ecole plain {tag}");
        var (ecole, upperEcole, greek, cyrillic, strasse, plain) = (rows[0].Id, rows[1].Id, rows[2].Id, rows[3].Id, rows[4].Id, rows[5].Id);

        // Every store here folds letter case beyond ASCII (SQLite always; PostgreSQL as its LC_CTYPE does).
        if (TempDatabase.IsPostgres)
        {
            var folds = await factory.WithDbAsync(db => db.Database.SqlQueryRaw<bool>("SELECT lower('ÉΣД') = 'éσд' AS \"Value\"").SingleAsync());
            Assert.True(folds, "the test database's LC_CTYPE folds ASCII only (a C/POSIX database): non-ASCII letters then match in their own case only");
        }

        var expectations = new (string Term, Guid[] Expected)[]
        {
            ("é", [ecole, upperEcole]), ("É", [ecole, upperEcole]), ("éC", [ecole, upperEcole]), ("Éco", [ecole, upperEcole]), ("école", [ecole, upperEcole]),
            ("ü", [ecole]), ("ÜN", [ecole]), ("ünÏ", [ecole]),
            ("σ", [greek]), ("σί", [greek]), ("σίσυ", [greek]),
            ("д", [cyrillic]), ("До", [cyrillic]), ("ПРИВЕТ дом", [cyrillic]),
            ("ß", [strasse]), ("STRAßE", [strasse]),
            // Accents and ß are letters of their own: no match without them.
            ("ecole", [plain]), ("STRASSE", []), ("sse", []),
        };
        foreach (var (term, expected) in expectations)
        {
            // Pages of one row: the first page of an ASCII term with two matches or more comes from the bounded walk, the rest from the index.
            var found = (await setup.Owner.WalkAsync(Entries, $"&sort=createdAt&{Search(term)}", limit: 1)).Where(rows.Select(r => r.Id).Contains).ToList();
            Assert.True(expected.SequenceEqual(found), $"search={term}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", found)}]");
        }
    }

    [Fact]
    public async Task Sqlite_folds_the_kelvin_sign_and_long_s_to_k_and_s_like_its_search_index_whatever_the_term_length()
    {
        if (TempDatabase.IsPostgres)
        {
            // PostgreSQL folds with lower() (ſ stays ſ): docs/lists.md.
            return;
        }

        var setup = await SetupAsync();
        var tag = Marker();
        var rows = await EntriesAsync(setup, $"cooled to 4\u212A {tag}", $"Pro\u017Ft {tag}", $"plain 4k prost {tag}");
        var expectations = new (string Term, Guid[] Expected)[]
        {
            ("4k", [rows[0].Id, rows[2].Id]), ("4\u212A", [rows[0].Id, rows[2].Id]), ("O 4K", [rows[0].Id]),
            ("prost", [rows[1].Id, rows[2].Id]), ("PRO\u017FT", [rows[1].Id, rows[2].Id]), ("\u017Ft", [rows[1].Id, rows[2].Id]),
        };
        foreach (var (term, expected) in expectations)
        {
            var found = (await setup.Owner.WalkAsync(Entries, $"&sort=createdAt&{Search(term)}", limit: 1)).Where(rows.Select(r => r.Id).Contains).ToList();
            Assert.True(expected.SequenceEqual(found), $"search={term}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", found)}]");
        }
    }

    [Fact]
    public async Task Quotes_wildcards_backslashes_and_full_text_syntax_in_a_term_are_literal_text()
    {
        var setup = await SetupAsync();
        var notes = new[]
        {
            "say \"hi\" now", "NEAR(a b) here", "this AND that", "star* power", "100% done", "a_b c", "back\\slash", "col:on {Note}", "^caret -minus +plus",
            "it's ''quoted''", "OR NOT", "plain words", "a%b", "x\"y",
        };
        var rows = await EntriesAsync(setup, notes);
        var terms = new[]
        {
            "\"hi\"", "\"", "\"\"", "y \"h", "x\"y", "NEAR(", "NEAR(a", "AND", "and th", "*", "r* p", "%", "0%", "0% d", "_", "a_b", "\\", "k\\s", "\\sl",
            ":", "col:", "col:on", "{Note}", "Note}", "^ca", "-mi", "+pl", "'", "''q", "it's", "OR", "OR NOT", "NOT",
            // Would match other rows if they were patterns rather than text.
            "%%", "a%", "_b_", "a_b_", "\\%", "Note*", "\"plain\" OR \"star\"", "s*r",
        };
        foreach (var term in terms)
        {
            var expected = Containing(rows, term);
            var found = (await setup.Owner.WalkAsync(Entries, $"&sort=createdAt&{Search(term)}", limit: 1)).Where(rows.Select(r => r.Id).Contains).ToList();
            Assert.True(expected.SequenceEqual(found), $"search={term}: expected {expected.Count} rows ({string.Join(" | ", rows.Where(r => expected.Contains(r.Id)).Select(r => r.Note))}), got {found.Count}");
        }
    }

    [Fact]
    public async Task Search_combines_with_filters_visibility_and_deleted_rows_for_short_and_long_terms()
    {
        var setup = await SetupAsync();
        var memberId = await setup.Workspace.AddMemberAsync(Role.Member);
        var tag = Marker();
        var owners = await EntriesAsync(setup, $"deploy {tag} one", $"deploy {tag} two", "other");
        var members = await EntriesAsync(setup, memberId, 10, $"Deploy {tag} mine", $"deploy {tag} mine too", "other");
        await factory.WithDbAsync(db => db.TimeEntries.Where(e => e.Id == members[1].Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.DeletedAt, s_base.AddDays(1))));
        var memberReader = new ListReader(setup.Workspace, memberId);

        foreach (var term in new[] { tag, "ep", "y " + tag[..2] })
        {
            // A Member sees their own entries only; a filter and includeDeleted still apply.
            Assert.Equal([members[0].Id], await memberReader.IdsAsync($"{Entries}?sort=createdAt&{Search(term)}"));
            Assert.Equal([members[0].Id, members[1].Id], await memberReader.IdsAsync($"{Entries}?sort=createdAt&includeDeleted=true&{Search(term)}"));
            var ownerAll = await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&{Search(term)}");
            Assert.Equal([owners[0].Id, owners[1].Id, members[0].Id], ownerAll.Where(new[] { owners[0].Id, owners[1].Id, members[0].Id }.Contains));
            Assert.Equal([owners[0].Id], (await setup.Owner.IdsAsync($"{Entries}?sort=createdAt&billable=true&userId={setup.Workspace.OwnerId}&{Search(term)}"))
                .Where(owners.Select(o => o.Id).Contains));
        }
    }
}
