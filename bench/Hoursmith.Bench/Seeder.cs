using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Hoursmith.Bench;

/// <summary>
/// Fills one existing workspace (made by the CLI, so the schema is migrated) with members, clients,
/// projects and tasks through the app's EF model, then time entries by direct batched inserts in one
/// transaction, after checking that a raw insert stores every column exactly as EF does.
/// </summary>
internal static class Seeder
{
    private const int RowsPerStatement = 64;

    private static readonly string[] s_columns =
    [
        "Id", "Billable", "CreatedAt", "DeletedAt", "DurationSeconds", "EntryDate", "InvoiceId", "MemberId", "Note",
        "ProjectId", "StartedAt", "StoppedAt", "TaskId", "UpdatedAt", "WorkspaceId",
    ];

    private struct Entry
    {
        public DateTime CreatedAt;
        public DateTime UpdatedAt;
        public DateTime? StartedAt;
        public DateTime? StoppedAt;
        public DateTime? DeletedAt;
        public DateOnly EntryDate;
        public long? DurationSeconds;
        public int Project;
        public int Member;
        public int Task;
        public bool Billable;
        public string? Note;
    }

    public static async Task<object> RunAsync(Options options)
    {
        var store = Store.From(options);
        var workspaceId = options.Guid("workspace");
        var entryCount = options.Int("entries", 1_000_000);
        var projectCount = options.Int("projects", 50);
        var memberCount = options.Int("members", 20);
        var days = options.Int("days", 730);
        var random = new Random(options.Int("seed", 42));
        var searchFraction = options.Double("search-fraction", 0.02);
        var analyze = options.Optional("analyze") is "1" or "true";
        var clock = Stopwatch.StartNew();

        var now = WholeSeconds(DateTime.UtcNow);
        var today = DateOnly.FromDateTime(now);
        var firstDay = today.AddDays(-(days - 1));

        // --- reference rows, through EF --------------------------------------------------------
        Guid[] memberIds;
        Guid[] projectIds;
        bool[] projectBillable;
        int[][] teams;
        (Guid Id, bool Billable)[][] tasks;
        Dictionary<string, object> formats;
        await using (var db = store.CreateContext())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.Id == workspaceId)
                ?? throw new InvalidOperationException($"workspace {workspaceId} not found (create it with the CLI first)");
            if (await db.TimeEntries.IgnoreQueryFilters().AnyAsync(e => e.WorkspaceId == workspaceId))
            {
                throw new InvalidOperationException("the workspace already has time entries; seed a fresh database");
            }

            var members = await db.Members.Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.CreatedAt).ToListAsync();
            var joined = firstDay.AddDays(-30).ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
            for (var i = members.Count; i < memberCount; i++)
            {
                var first = Vocabulary.FirstNames[i % Vocabulary.FirstNames.Length];
                var role = i switch { <= 2 => Role.Admin, <= 5 => Role.Manager, _ => Role.Member };
                members.Add(db.Members.Add(new Member
                {
                    WorkspaceId = workspaceId,
                    Name = $"{first} Bench{i}",
                    Email = $"{first.ToLowerInvariant()}.{i}@bench.example",
                    Role = role,
                    CreatedAt = joined,
                    UpdatedAt = joined,
                }).Entity);
            }

            memberIds = [.. members.Select(m => m.Id)];

            var clients = Vocabulary.ClientNames.Select(name => db.Clients.Add(new Client
            {
                WorkspaceId = workspaceId,
                Name = name,
                Currency = workspace.Currency,
                DefaultRate = 95m + random.Next(0, 8) * 10,
                DefaultPaymentTerms = PaymentTerms.Net30,
                CreatedAt = joined,
                UpdatedAt = joined,
            }).Entity).ToList();

            projectIds = new Guid[projectCount];
            projectBillable = new bool[projectCount];
            teams = new int[projectCount][];
            tasks = new (Guid, bool)[projectCount][];
            for (var p = 0; p < projectCount; p++)
            {
                var rateType = (p % 10) switch { 7 => RateType.NonBillable, 8 => RateType.Fixed, _ => RateType.Hourly };
                var project = db.Projects.Add(new Project
                {
                    WorkspaceId = workspaceId,
                    ClientId = clients[p % clients.Count].Id,
                    Name = $"{Vocabulary.ProjectNouns[p % Vocabulary.ProjectNouns.Length]} {p + 1}",
                    RateType = rateType,
                    HourlyRate = rateType == RateType.Hourly ? 120m : null,
                    FixedFeeAmount = rateType == RateType.Fixed ? 15000m : null,
                    Status = p >= projectCount - 5 ? ProjectStatus.Completed : ProjectStatus.Active,
                    StartDate = firstDay,
                    CreatedAt = joined,
                    UpdatedAt = joined,
                }).Entity;
                projectIds[p] = project.Id;
                projectBillable[p] = rateType != RateType.NonBillable;

                // Bigger projects have bigger teams.
                var teamSize = Math.Min(memberIds.Length, p < 5 ? 10 : 3 + random.Next(0, 4));
                teams[p] = [.. Enumerable.Range(0, memberIds.Length).OrderBy(_ => random.Next()).Take(teamSize)];
                foreach (var m in teams[p])
                {
                    project.Members.Add(new ProjectMember { ProjectId = project.Id, MemberId = memberIds[m], AddedAt = joined });
                }

                var taskCount = 4 + random.Next(0, 9);
                tasks[p] = new (Guid, bool)[taskCount];
                for (var t = 0; t < taskCount; t++)
                {
                    var billable = t % 6 != 5;
                    var task = db.Tasks.Add(new WorkTask
                    {
                        WorkspaceId = workspaceId,
                        ProjectId = project.Id,
                        Name = Vocabulary.TaskNames[t % Vocabulary.TaskNames.Length],
                        Billable = billable,
                        Status = WorkTaskStatus.InProgress,
                        CreatedAt = joined,
                        UpdatedAt = joined,
                    }).Entity;
                    tasks[p][t] = (task.Id, billable);
                }
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
            // PostgreSQL's binary COPY sends typed values (uuid, date, timestamptz) the server checks itself.
            formats = db is SqliteHoursmithDb sqlite
                ? await ProbeFormatsAsync(sqlite, store.ConnectionString, workspaceId, memberIds[0], projectIds[0], tasks[0][0].Id, now)
                : new Dictionary<string, object> { ["postgresql"] = "binary COPY of typed values" };
        }

        SqliteConnection.ClearAllPools();
        Log($"reference rows: {memberIds.Length} members, {projectCount} projects, {tasks.Sum(t => t.Length)} tasks ({clock.Elapsed.TotalSeconds:F1}s)");

        // --- time entries, generated in memory, in creation order -------------------------------
        var entries = Generate(random, entryCount, firstDay, today, now, projectBillable, teams, tasks, memberIds.Length, out var searchTerm, searchFraction, options.Optional("search"));
        // A rare term (a ticket number in a few notes), which only the search index finds without reading
        // most of the workspace. Its own random stream: the rest of the data stays as it was.
        const string rareTerm = "HS-4711";
        var rareRandom = new Random(options.Int("seed", 42) + 1);
        var withNotes = Enumerable.Range(0, entries.Length).Where(i => entries[i].Note is not null && entries[i].DeletedAt is null).ToList();
        foreach (var i in withNotes.OrderBy(_ => rareRandom.Next()).Take(options.Int("rare-rows", 200)))
        {
            entries[i].Note += $" (ticket {rareTerm})";
        }
        Log($"generated {entries.Length} entries ({clock.Elapsed.TotalSeconds:F1}s)");

        var insertClock = Stopwatch.StartNew();
        if (store.IsPostgres)
        {
            await InsertPostgresAsync(store.ConnectionString, entries, workspaceId, memberIds, projectIds, tasks, options.Optional("extra-sql"), insertClock);
        }
        else
        {
            InsertSqlite(store.ConnectionString, entries, workspaceId, memberIds, projectIds, tasks, options.Optional("extra-sql"), analyze, insertClock);
        }

        var insertSeconds = insertClock.Elapsed.TotalSeconds;

        // --- the scenario: the biggest project's entries over the last year -----------------------
        var live = entries.Where(e => e.DeletedAt is null).ToArray();
        var biggest = live.GroupBy(e => e.Project).OrderByDescending(g => g.Count()).First().Key;
        var to = today;
        var from = today.AddDays(-364);
        var inRange = live.Where(e => e.EntryDate >= from && e.EntryDate <= to).GroupBy(e => e.Project).ToDictionary(g => g.Key, g => g.Count());
        var pageRows = inRange.GetValueOrDefault(biggest);
        // The smallest project that still fills a first page: the index choice shows there.
        var smallest = inRange.Where(p => p.Value > 50).OrderBy(p => p.Value).First();
        var searchRows = live.Count(e => e.Note is not null && e.Note.Contains(searchTerm, StringComparison.OrdinalIgnoreCase));
        var rareRows = live.Count(e => e.Note is not null && e.Note.Contains(rareTerm, StringComparison.OrdinalIgnoreCase));

        return new
        {
            workspaceId,
            entries = entries.Length,
            deleted = entries.Length - live.Length,
            running = entries.Count(e => e.StartedAt is not null && e.StoppedAt is null),
            members = memberIds.Length,
            projects = projectCount,
            tasks = tasks.Sum(t => t.Length),
            firstDay = firstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            lastDay = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            scenario = new
            {
                projectId = projectIds[biggest],
                from = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                to = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                pageRows,
                smallProjectId = projectIds[smallest.Key],
                smallPageRows = smallest.Value,
                search = searchTerm,
                searchRows,
                searchFraction = Math.Round((double)searchRows / live.Length, 4),
                // Searched in lower case: the match ignores case.
                rareSearch = rareTerm.ToLowerInvariant(),
                rareRows,
            },
            largestProjects = live.GroupBy(e => e.Project).OrderByDescending(g => g.Count()).Take(5)
                .Select(g => new { projectId = projectIds[g.Key], rows = g.Count() }),
            formats,
            analyzed = analyze,
            extraSql = options.Optional("extra-sql"),
            seconds = new { total = Math.Round(clock.Elapsed.TotalSeconds, 1), insertAndIndex = Math.Round(insertSeconds, 1) },
        };
    }

    /// <summary>
    /// The entries by batched inserts in one transaction, the table's indexes dropped first and rebuilt
    /// from their own DDL after (building an index once is faster than maintaining it through a million inserts).
    /// </summary>
    private static void InsertSqlite(string connectionString, Entry[] entries, Guid workspaceId, Guid[] memberIds, Guid[] projectIds,
        (Guid Id, bool Billable)[][] tasks, string? extraSql, bool analyze, Stopwatch insertClock)
    {
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            Exec(connection, "PRAGMA journal_mode=DELETE;");
            Exec(connection, "PRAGMA synchronous=OFF;");
            Exec(connection, "PRAGMA cache_size=-1048576;");
            Exec(connection, "PRAGMA temp_store=MEMORY;");

            // Dropped and recreated from their own DDL: building an index once is faster than
            // maintaining it through a million inserts.
            var indexes = new List<(string Name, string Sql)>();
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'TimeEntries' AND sql IS NOT NULL";
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    indexes.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            using (var transaction = connection.BeginTransaction())
            {
                foreach (var (name, _) in indexes)
                {
                    Exec(connection, $"DROP INDEX \"{name}\";", transaction);
                }

                using var batch = InsertCommand(connection, transaction, RowsPerStatement);
                using var single = InsertCommand(connection, transaction, 1);
                var i = 0;
                for (; i + RowsPerStatement <= entries.Length; i += RowsPerStatement)
                {
                    for (var r = 0; r < RowsPerStatement; r++)
                    {
                        Bind(batch, r, entries[i + r], workspaceId, memberIds, projectIds, tasks);
                    }

                    batch.ExecuteNonQuery();
                    if (i % 200_000 == 0 && i > 0)
                    {
                        Log($"  {i} rows ({insertClock.Elapsed.TotalSeconds:F1}s)");
                    }
                }

                for (; i < entries.Length; i++)
                {
                    Bind(single, 0, entries[i], workspaceId, memberIds, projectIds, tasks);
                    single.ExecuteNonQuery();
                }

                Log($"inserted {entries.Length} rows ({insertClock.Elapsed.TotalSeconds:F1}s); building {indexes.Count} indexes");
                foreach (var (_, sql) in indexes)
                {
                    Exec(connection, sql + ";", transaction);
                }

                transaction.Commit();
            }

            Log($"committed ({insertClock.Elapsed.TotalSeconds:F1}s)");
            if (extraSql is { Length: > 0 })
            {
                // A candidate schema change (an index), measured through the whole benchmark.
                Exec(connection, extraSql);
                Log($"ran --extra-sql ({insertClock.Elapsed.TotalSeconds:F1}s)");
            }

            if (analyze)
            {
                // Not what the app does today: the statistics SQLite's planner uses to choose between indexes.
                Exec(connection, "ANALYZE;");
                Log($"analyzed ({insertClock.Elapsed.TotalSeconds:F1}s)");
            }

            // Back to what the app sets (DatabaseSetup.MigrateAsync): WAL.
            Exec(connection, "PRAGMA journal_mode=WAL;");
        }

    }

    /// <summary>
    /// The entries by one binary COPY in one transaction, the table's indexes (all but the primary key)
    /// dropped first and rebuilt from their own definitions after; then ANALYZE, as autovacuum would do
    /// soon after such a load.
    /// </summary>
    private static async Task InsertPostgresAsync(string connectionString, Entry[] entries, Guid workspaceId, Guid[] memberIds, Guid[] projectIds,
        (Guid Id, bool Billable)[][] tasks, string? extraSql, Stopwatch insertClock)
    {
        // No command timeout: building the trigram index over a million notes takes minutes.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync();
        var indexes = new List<(string Name, string Sql)>();
        await using (var read = new NpgsqlCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'TimeEntries' " +
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)", connection))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var (name, _) in indexes)
            {
                await new NpgsqlCommand($"DROP INDEX \"{name}\"", connection, transaction).ExecuteNonQueryAsync();
            }

            var columns = string.Join(", ", s_columns.Select(c => $"\"{c}\""));
            await using (var copy = await connection.BeginBinaryImportAsync($"COPY \"TimeEntries\" ({columns}) FROM STDIN (FORMAT BINARY)"))
            {
                copy.Timeout = TimeSpan.Zero;
                for (var i = 0; i < entries.Length; i++)
                {
                    var e = entries[i];
                    await copy.StartRowAsync();
                    await copy.WriteAsync(Guid.CreateVersion7(new DateTimeOffset(e.CreatedAt)), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(e.Billable, NpgsqlDbType.Boolean);
                    await copy.WriteAsync(e.CreatedAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, e.DeletedAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, e.DurationSeconds, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(e.EntryDate, NpgsqlDbType.Date);
                    await copy.WriteNullAsync();
                    await copy.WriteAsync(memberIds[e.Member], NpgsqlDbType.Uuid);
                    await WriteNullableAsync(copy, e.Note, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(projectIds[e.Project], NpgsqlDbType.Uuid);
                    await WriteNullableAsync(copy, e.StartedAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, e.StoppedAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, e.Task >= 0 ? tasks[e.Project][e.Task].Id : (Guid?)null, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(e.UpdatedAt, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(workspaceId, NpgsqlDbType.Uuid);
                    if (i % 200_000 == 0 && i > 0)
                    {
                        Log($"  {i} rows ({insertClock.Elapsed.TotalSeconds:F1}s)");
                    }
                }

                await copy.CompleteAsync();
            }

            Log($"copied {entries.Length} rows ({insertClock.Elapsed.TotalSeconds:F1}s); building {indexes.Count} indexes");
            foreach (var (_, sql) in indexes)
            {
                await new NpgsqlCommand(sql, connection, transaction).ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        Log($"committed ({insertClock.Elapsed.TotalSeconds:F1}s)");
        if (extraSql is { Length: > 0 })
        {
            await new NpgsqlCommand(extraSql, connection).ExecuteNonQueryAsync();
            Log($"ran --extra-sql ({insertClock.Elapsed.TotalSeconds:F1}s)");
        }

        await new NpgsqlCommand("ANALYZE", connection).ExecuteNonQueryAsync();
        Log($"analyzed ({insertClock.Elapsed.TotalSeconds:F1}s)");
    }

    private static Task WriteNullableAsync<TValue>(NpgsqlBinaryImporter copy, TValue? value, NpgsqlDbType type)
        where TValue : struct =>
        value is { } v ? copy.WriteAsync(v, type) : copy.WriteNullAsync();

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type) =>
        value is not null ? copy.WriteAsync(value, type) : copy.WriteNullAsync();

    /// <summary>
    /// Realistic entries: weekdays busier than weekends, the team growing over the period, a few big
    /// projects and a long tail, durations mostly in 5-minute steps, 40 % from timers (startedAt/stoppedAt
    /// to the second), 1 % soft-deleted, a few timers running now. Sorted by creation time, so UUIDv7
    /// ids (made from createdAt at insert) rise with it, as the app's would.
    /// </summary>
    private static Entry[] Generate(Random random, int count, DateOnly firstDay, DateOnly today, DateTime now, bool[] projectBillable,
        int[][] teams, (Guid Id, bool Billable)[][] tasks, int memberCount, out string searchTerm, double searchFraction, string? searchOverride)
    {
        var dayCount = today.DayNumber - firstDay.DayNumber + 1;
        var dayWeights = new double[dayCount];
        for (var d = 0; d < dayCount; d++)
        {
            var day = firstDay.AddDays(d);
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            dayWeights[d] = (weekend ? 0.12 : 1.0) * (0.6 + (0.8 * d / dayCount));
        }

        var dayPick = Cumulative(dayWeights);
        var projectPick = Cumulative([.. Enumerable.Range(0, projectBillable.Length).Select(p => 1.0 / (p + 1))]);
        var wordPick = Cumulative([.. Enumerable.Range(0, Vocabulary.Words.Length).Select(w => 1.0 / Math.Pow(w + 1, 0.9))]);
        // Shuffled once, so the most frequent words are not simply the first of the list.
        var wordOrder = Enumerable.Range(0, Vocabulary.Words.Length).OrderBy(_ => random.Next()).ToArray();
        var wordRows = new int[Vocabulary.Words.Length];
        var seen = new HashSet<int>();

        var entries = new Entry[count];
        var note = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var day = firstDay.AddDays(Pick(dayPick, random));
            var project = Pick(projectPick, random);
            var team = teams[project];
            var member = team[random.Next(team.Length)];
            var task = random.NextDouble() < 0.7 ? random.Next(tasks[project].Length) : -1;
            var minutes = Math.Clamp((int)Math.Round(Math.Exp(4.2 + (0.7 * Gaussian(random))) / 5) * 5, 5, 600);
            var e = new Entry { EntryDate = day, Project = project, Member = member, Task = task };

            var dayStart = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            if (random.NextDouble() < 0.4)
            {
                var seconds = (minutes * 60) + random.Next(-59, 60);
                e.StartedAt = dayStart.AddSeconds(random.Next(8 * 3600, 18 * 3600));
                e.StoppedAt = e.StartedAt.Value.AddSeconds(seconds);
                e.DurationSeconds = seconds;
                e.CreatedAt = e.StartedAt.Value;
                e.UpdatedAt = e.StoppedAt.Value;
            }
            else
            {
                e.DurationSeconds = minutes * 60;
                e.CreatedAt = dayStart.AddSeconds(random.Next(9 * 3600, 20 * 3600)).AddDays(random.NextDouble() < 0.2 ? random.Next(1, 4) : 0);
                e.UpdatedAt = random.NextDouble() < 0.1 ? e.CreatedAt.AddMinutes(random.Next(1, 4000)) : e.CreatedAt;
            }

            if (e.CreatedAt > now)
            {
                e.CreatedAt = now.AddSeconds(-random.Next(1, 3600));
            }

            if (e.UpdatedAt > now || e.UpdatedAt < e.CreatedAt)
            {
                e.UpdatedAt = e.CreatedAt;
            }

            if (e.StoppedAt > now)
            {
                e.StoppedAt = now;
                e.StartedAt = now.AddSeconds(-e.DurationSeconds!.Value);
                e.CreatedAt = e.StartedAt.Value;
                e.UpdatedAt = now;
            }

            e.Billable = projectBillable[project] && (task >= 0 ? tasks[project][task].Billable : random.NextDouble() < 0.88);

            if (random.NextDouble() >= 0.04)
            {
                note.Clear();
                note.Append(Vocabulary.Verbs[random.Next(Vocabulary.Verbs.Length)]);
                seen.Clear();
                var words = 3 + random.Next(0, 8);
                for (var w = 0; w < words; w++)
                {
                    var word = wordOrder[Pick(wordPick, random)];
                    note.Append(' ');
                    if (w > 0 && random.NextDouble() < 0.25)
                    {
                        note.Append(Vocabulary.Joiners[random.Next(Vocabulary.Joiners.Length)]).Append(' ');
                    }

                    note.Append(Vocabulary.Words[word]);
                    if (seen.Add(word))
                    {
                        wordRows[word]++;
                    }
                }

                e.Note = note.ToString();
            }

            if (random.NextDouble() < 0.01)
            {
                var deleted = e.UpdatedAt.AddMinutes(random.Next(1, 120));
                e.DeletedAt = e.UpdatedAt = deleted > now ? now : deleted;
            }

            entries[i] = e;
        }

        // A few people have a timer running right now (one each).
        for (var m = 0; m < Math.Min(4, memberCount); m++)
        {
            var project = Array.FindIndex(teams, t => t.Contains(m));
            if (project < 0)
            {
                continue;
            }

            var started = now.AddSeconds(-random.Next(60, 3 * 3600));
            entries[random.Next(count)] = new Entry
            {
                EntryDate = DateOnly.FromDateTime(started),
                Project = project,
                Member = m,
                Task = -1,
                StartedAt = started,
                CreatedAt = started,
                UpdatedAt = started,
                Billable = projectBillable[project],
                Note = "Working on the current sprint",
            };
        }

        // The search term: a word in about searchFraction of the notes that no other word contains,
        // so its substring matches are the notes it appears in.
        var everyWord = Vocabulary.Words.Concat(Vocabulary.Verbs.Select(v => v.ToLowerInvariant())).Concat(Vocabulary.Joiners).ToArray();
        searchTerm = searchOverride ?? Enumerable.Range(0, Vocabulary.Words.Length)
            .Where(w => Vocabulary.Words[w].Length >= 5 && !everyWord.Any(o => o != Vocabulary.Words[w] && o.Contains(Vocabulary.Words[w], StringComparison.Ordinal)))
            .OrderBy(w => Math.Abs(((double)wordRows[w] / count) - searchFraction))
            .Select(w => Vocabulary.Words[w])
            .First();

        Array.Sort(entries, (a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        return entries;
    }

    private static double[] Cumulative(double[] weights)
    {
        var cumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            cumulative[i] = sum;
        }

        for (var i = 0; i < cumulative.Length; i++)
        {
            cumulative[i] /= sum;
        }

        return cumulative;
    }

    private static int Pick(double[] cumulative, Random random)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());

    private static SqliteCommand InsertCommand(SqliteConnection connection, SqliteTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO \"TimeEntries\" (");
        sql.AppendJoin(", ", s_columns.Select(c => $"\"{c}\"")).Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < s_columns.Length; c++)
            {
                var name = $"@p{r}_{c}";
                sql.Append(c == 0 ? name : ", " + name);
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        command.Prepare();
        return command;
    }

    /// <summary>
    /// Binds the row's values as the CLR types EF binds (Guid, DateTime, DateOnly, bool, long), so
    /// Microsoft.Data.Sqlite formats them as it does for EF; <see cref="ProbeFormatsAsync"/> checks it.
    /// </summary>
    private static void Bind(SqliteCommand command, int row, in Entry e, Guid workspaceId, Guid[] memberIds, Guid[] projectIds, (Guid Id, bool Billable)[][] tasks)
    {
        var p = command.Parameters;
        var at = row * s_columns.Length;
        p[at + 0].Value = Guid.CreateVersion7(new DateTimeOffset(e.CreatedAt));
        p[at + 1].Value = e.Billable;
        p[at + 2].Value = e.CreatedAt;
        p[at + 3].Value = (object?)e.DeletedAt ?? DBNull.Value;
        p[at + 4].Value = (object?)e.DurationSeconds ?? DBNull.Value;
        p[at + 5].Value = e.EntryDate;
        p[at + 6].Value = DBNull.Value;
        p[at + 7].Value = memberIds[e.Member];
        p[at + 8].Value = (object?)e.Note ?? DBNull.Value;
        p[at + 9].Value = projectIds[e.Project];
        p[at + 10].Value = (object?)e.StartedAt ?? DBNull.Value;
        p[at + 11].Value = (object?)e.StoppedAt ?? DBNull.Value;
        p[at + 12].Value = e.Task >= 0 ? tasks[e.Project][e.Task].Id : DBNull.Value;
        p[at + 13].Value = e.UpdatedAt;
        p[at + 14].Value = workspaceId;
    }

    /// <summary>
    /// Saves one entry through EF and the same entry through the raw insert, reads both back as SQLite
    /// stores them (storage class and literal of every column) and fails on any difference. Both rows
    /// are removed afterwards. Returns EF's row, as the formats on record.
    /// </summary>
    private static async Task<Dictionary<string, object>> ProbeFormatsAsync(
        SqliteHoursmithDb db, string connectionString, Guid workspaceId, Guid memberId, Guid projectId, Guid taskId, DateTime now)
    {
        var started = now.AddHours(-3);
        var probe = new TimeEntry
        {
            WorkspaceId = workspaceId,
            MemberId = memberId,
            ProjectId = projectId,
            TaskId = taskId,
            DurationSeconds = 5400,
            Billable = true,
            Note = "Format probe",
            EntryDate = DateOnly.FromDateTime(started),
            StartedAt = started,
            StoppedAt = started.AddSeconds(5400),
            CreatedAt = started,
            UpdatedAt = started.AddSeconds(5400),
            DeletedAt = started.AddSeconds(5500),
        };
        db.TimeEntries.Add(probe);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync();

        var rawId = Guid.CreateVersion7(new DateTimeOffset(started));
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var insert = InsertCommand(connection, connection.BeginTransaction(), 1))
        {
            var entry = new Entry
            {
                CreatedAt = probe.CreatedAt,
                UpdatedAt = probe.UpdatedAt,
                StartedAt = probe.StartedAt,
                StoppedAt = probe.StoppedAt,
                DeletedAt = probe.DeletedAt,
                EntryDate = probe.EntryDate,
                DurationSeconds = probe.DurationSeconds,
                Billable = true,
                Note = probe.Note,
                Project = 0,
                Member = 0,
                Task = 0,
            };
            Bind(insert, 0, entry, workspaceId, [memberId], [projectId], [[(taskId, true)]]);
            insert.Parameters[0].Value = rawId;
            insert.ExecuteNonQuery();
            insert.Transaction!.Commit();
        }

        var ef = ReadRaw(connection, probe.Id);
        var raw = ReadRaw(connection, rawId);
        Exec(connection, $"DELETE FROM \"TimeEntries\" WHERE \"Id\" IN ('{probe.Id.ToString().ToUpperInvariant()}', '{rawId.ToString().ToUpperInvariant()}');");
        if (ef.Count != s_columns.Length || raw.Count != s_columns.Length)
        {
            throw new InvalidOperationException("format probe: a probe row was not read back (Guid text format differs?)");
        }

        foreach (var column in s_columns)
        {
            var (efType, efText) = ef[column];
            var (rawType, rawText) = raw[column];
            var same = column == "Id"
                ? efType == rawType && efText.Length == rawText.Length && !efText.Any(char.IsLower) && !rawText.Any(char.IsLower)
                : efType == rawType && efText == rawText;
            if (!same)
            {
                throw new InvalidOperationException($"format probe: column {column} is {efType} {efText} through EF but {rawType} {rawText} through the raw insert");
            }
        }

        Log("format probe: the raw insert stores every column exactly as EF does");
        return ef.ToDictionary(c => c.Key, c => (object)$"{c.Value.Type} {c.Value.Literal}");
    }

    private static Dictionary<string, (string Type, string Literal)> ReadRaw(SqliteConnection connection, Guid id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT " + string.Join(", ", s_columns.Select(c => $"typeof(\"{c}\"), quote(\"{c}\")")) + " FROM \"TimeEntries\" WHERE \"Id\" = @id";
        command.Parameters.AddWithValue("@id", id);
        using var reader = command.ExecuteReader();
        var row = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        if (reader.Read())
        {
            for (var c = 0; c < s_columns.Length; c++)
            {
                row[s_columns[c]] = (reader.GetString(2 * c), reader.GetString((2 * c) + 1));
            }
        }

        return row;
    }

    private static void Exec(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static DateTime WholeSeconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static void Log(string message) => Console.Error.WriteLine($"[seed] {message}");
}
