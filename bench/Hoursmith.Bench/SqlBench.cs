using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace Hoursmith.Bench;

/// <summary>What the script knows about the scenarios: the query values and the API's keyset position of page 500.</summary>
internal sealed record Scenarios(Guid WorkspaceId, Guid ProjectId, Guid SmallProjectId, DateOnly From, DateOnly To, DateOnly AfterDate, Guid AfterId, string Search, string RareSearch)
{
    /// <summary>The search term as the API gives it to the notes' FTS5 table: one literal phrase, in the Note column.</summary>
    public string MatchQuery => $"{{Note}} : \"{Search.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>The search term as the API's bounded walk compares it with the folded note (ASCII lowered; ListSearch.SqliteFold).</summary>
    public string Folded => Search.ToLowerInvariant();

    /// <summary>The values of one scenario: "page1-small" is the first page of the small project, "search-rare" searches the rare term.</summary>
    public Scenarios For(string scenario) => scenario switch
    {
        "page1-small" => this with { ProjectId = SmallProjectId },
        "search-rare" => this with { Search = RareSearch },
        _ => this,
    };

    public static Scenarios Load(Options options) =>
        JsonSerializer.Deserialize<Scenarios>(File.ReadAllText(options.Required("scenarios")), Json.Options)
        ?? throw new ArgumentException("empty scenarios file");
}

/// <summary>One scenario's timings, result and plan.</summary>
/// <param name="VmSteps">SQLite virtual machine steps for one run: the work done, whatever the timing noise.</param>
internal sealed record SqlResult(double P50Ms, double P99Ms, double MeanMs, int Iterations, int Rows, string? FirstId, string? LastId, long VmSteps, IReadOnlyList<string> Plan, string Sql);

/// <summary>
/// The floor: each scenario's query written by hand (the same WHERE as the API's, workspace and
/// DeletedAt IS NULL included, the same ORDER BY, LIMIT 51), run as one prepared command on one open
/// connection, every column of every row read. No HTTP, no authentication, no EF, no JSON.
/// </summary>
internal static class SqlBench
{
    public const string Columns =
        "\"Id\", \"Billable\", \"CreatedAt\", \"DeletedAt\", \"DurationSeconds\", \"EntryDate\", \"InvoiceId\", \"MemberId\", \"Note\", " +
        "\"ProjectId\", \"StartedAt\", \"StoppedAt\", \"TaskId\", \"UpdatedAt\", \"WorkspaceId\"";

    private const string ProjectRange =
        "FROM \"TimeEntries\" WHERE \"DeletedAt\" IS NULL AND \"WorkspaceId\" = @workspace AND \"ProjectId\" = @project " +
        "AND \"EntryDate\" >= @from AND \"EntryDate\" <= @to";

    /// <summary>
    /// The hand-written queries. On PostgreSQL the lists are the same SQL; search is what the API sends
    /// there (ListSearch): <c>ILIKE '%term%'</c>, which the note's trigram index may serve, the planner decides.
    /// </summary>
    public static Dictionary<string, string> Queries(bool postgres)
    {
        var queries = ListQueries();
        if (postgres)
        {
            const string search = $"SELECT {Columns} FROM \"TimeEntries\" WHERE \"DeletedAt\" IS NULL AND \"WorkspaceId\" = @workspace AND \"Note\" ILIKE {{0}} " +
                "ORDER BY \"CreatedAt\" DESC, \"Id\" DESC LIMIT 51";
            queries["search"] = string.Format(CultureInfo.InvariantCulture, search, "@pattern");
            queries["search-rare"] = string.Format(CultureInfo.InvariantCulture, search, "@rarePattern");
        }

        return queries;
    }

    private static Dictionary<string, string> ListQueries() => new(StringComparer.Ordinal)
    {
        ["page1"] = $"SELECT {Columns} {ProjectRange} ORDER BY \"EntryDate\" DESC, \"Id\" DESC LIMIT 51",
        // The keyset as EF writes it: the bound, then the OR. PostgreSQL seeks the index only with the
        // bound (docs/lists.md); SQLite (3.50) derives it from the OR itself. The row value
        // ("EntryDate", "Id") < (@afterDate, @afterId) looks tighter but SQLite applies it only as a
        // filter next to the date-range terms (measured: 30-50x slower here).
        ["deep"] = $"SELECT {Columns} {ProjectRange} AND \"EntryDate\" <= @afterDate AND (\"EntryDate\" < @afterDate OR (\"EntryDate\" = @afterDate AND \"Id\" < @afterId)) " +
            "ORDER BY \"EntryDate\" DESC, \"Id\" DESC LIMIT 51",
        ["page1-small"] = $"SELECT {Columns} {ProjectRange.Replace("@project", "@smallProject", StringComparison.Ordinal)} ORDER BY \"EntryDate\" DESC, \"Id\" DESC LIMIT 51",
        // A common word: the newest entries in order, each note folded as the search index folds an ASCII
        // term, until a page is full (the API bounds this walk; it ends far sooner here). docs/lists.md, "Search".
        ["search"] = $"SELECT {Columns} FROM \"TimeEntries\" WHERE \"DeletedAt\" IS NULL AND \"WorkspaceId\" = @workspace " +
            "AND \"Note\" IS NOT NULL AND (instr(lower(\"Note\"), @folded) > 0 OR ((instr(\"Note\", 'K') > 0 OR instr(\"Note\", 'ſ') > 0) " +
            "AND instr(replace(replace(lower(\"Note\"), 'K', 'k'), 'ſ', 's'), @folded) > 0)) ORDER BY \"CreatedAt\" DESC, \"Id\" DESC LIMIT 51",
        // A rare term: the notes' FTS5 trigram table answers it; its rowids map to the entries' ids.
        ["search-rare"] = $"SELECT {Columns} FROM \"TimeEntries\" WHERE \"DeletedAt\" IS NULL AND \"WorkspaceId\" = @workspace " +
            "AND \"Id\" IN (SELECT \"Id\" FROM \"TimeEntriesSearchIds\" WHERE \"DocId\" IN " +
            "(SELECT rowid FROM \"TimeEntriesSearch\" WHERE \"TimeEntriesSearch\" MATCH @rareMatch)) ORDER BY \"CreatedAt\" DESC, \"Id\" DESC LIMIT 51",
    };

    public static object Run(Options options)
    {
        var values = Values(Scenarios.Load(options));
        var store = Store.From(options, readOnly: true);
        using var connection = store.Open();
        var queries = Queries(store.IsPostgres);
        if (options.Optional("sql-file") is { } file)
        {
            // An ad-hoc query with the same named values, for digging into a plan.
            queries = new(StringComparer.Ordinal) { [Path.GetFileNameWithoutExtension(file)] = File.ReadAllText(file) };
        }

        var only = options.Optional("only");
        return new
        {
            databaseVersion = Version(connection),
            results = queries.Where(q => only is null || q.Key == only).ToDictionary(q => q.Key, q => Time(connection, q.Value, values, options)),
        };
    }

    /// <summary>The named values the hand-written queries use.</summary>
    public static Dictionary<string, object> Values(Scenarios s) => new(StringComparer.Ordinal)
    {
        ["@workspace"] = s.WorkspaceId,
        ["@project"] = s.ProjectId,
        ["@smallProject"] = s.SmallProjectId,
        ["@from"] = s.From,
        ["@to"] = s.To,
        ["@afterDate"] = s.AfterDate,
        ["@afterId"] = s.AfterId,
        ["@folded"] = s.Folded,
        ["@rareMatch"] = s.For("search-rare").MatchQuery,
        ["@limit"] = 51,
        ["@pattern"] = $"%{s.Search}%",
        ["@rarePattern"] = $"%{s.RareSearch}%",
    };

    /// <summary>
    /// Runs <paramref name="sql"/> with the named <paramref name="values"/> (each @name it uses) until
    /// <c>--iterations</c> runs or <c>--max-seconds</c> have passed (at least 20 runs), after a
    /// warm-up (<see cref="Warm"/>); p50/p99 from a Stopwatch around execute + read.
    /// </summary>
    public static SqlResult Time(DbConnection connection, string sql, IReadOnlyDictionary<string, object> values, Options options)
    {
        var iterations = options.Int("iterations", 2000);
        var maxSeconds = options.Double("max-seconds", 20);
        using var command = Command(connection, sql, values);
        command.Prepare();
        var plan = Plan(connection, sql, command.Parameters);
        var vmSteps = connection is SqliteConnection sqlite ? VmSteps(sqlite, sql, (SqliteParameterCollection)command.Parameters) : 0;

        var (rows, first, last) = Execute(command);
        Warm(iterations, () => Execute(command));

        var samples = new List<double>(iterations);
        var budget = Stopwatch.StartNew();
        var clock = new Stopwatch();
        while (samples.Count < iterations && (samples.Count < 20 || budget.Elapsed.TotalSeconds < maxSeconds))
        {
            clock.Restart();
            Execute(command);
            clock.Stop();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return new SqlResult(Percentile(samples, 0.50), Percentile(samples, 0.99), Math.Round(samples.Average(), 3), samples.Count, rows, first, last,
            vmSteps, plan, sql);
    }

    /// <summary>A command for <paramref name="sql"/> with each named value it uses.</summary>
    public static DbCommand Command(DbConnection connection, string sql, IReadOnlyDictionary<string, object> values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in values)
        {
            if (sql.Contains(name, StringComparison.Ordinal) && !command.Parameters.Contains(name))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
        }

        return command;
    }

    private static (int Rows, string? First, string? Last) Execute(DbCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = 0;
        string? first = null, last = null;
        var fields = reader.FieldCount;
        while (reader.Read())
        {
            for (var c = 0; c < fields; c++)
            {
                _ = reader.GetValue(c);
            }

            last = reader.GetValue(0).ToString();
            first ??= last;
            rows++;
        }

        return (rows, first, last);
    }

    /// <summary>The plan the database chooses: SQLite's EXPLAIN QUERY PLAN tree, PostgreSQL's EXPLAIN lines.</summary>
    public static IReadOnlyList<string> Plan(DbConnection connection, string sql, DbParameterCollection parameters)
    {
        using var explain = connection.CreateCommand();
        explain.CommandText = (connection is NpgsqlConnection ? "EXPLAIN (COSTS OFF) " : "EXPLAIN QUERY PLAN ") + sql;
        foreach (DbParameter p in parameters)
        {
            var copy = explain.CreateParameter();
            copy.ParameterName = p.ParameterName;
            copy.Value = p.Value;
            explain.Parameters.Add(copy);
        }

        if (connection is NpgsqlConnection)
        {
            var steps = new List<string>();
            using var rows = explain.ExecuteReader();
            while (rows.Read())
            {
                steps.Add(rows.GetString(0).TrimEnd());
            }

            return steps;
        }

        var depth = new Dictionary<long, int>();
        var lines = new List<string>();
        using var reader = explain.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var parent = reader.GetInt64(1);
            var level = depth.TryGetValue(parent, out var d) ? d + 1 : 0;
            depth[id] = level;
            lines.Add(new string(' ', level * 2) + reader.GetString(3));
        }

        return lines;
    }

    /// <summary>
    /// Warm-up, not measured: a tenth of the runs and at least a second (at most five), so the JIT has
    /// promoted the hot code (tiered compilation) as it has in a long-running server.
    /// </summary>
    public static void Warm(int iterations, Action run)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; (i < iterations / 10 || clock.Elapsed.TotalSeconds < 1) && clock.Elapsed.TotalSeconds < 5; i++)
        {
            run();
        }
    }

    /// <summary>Runs the query once more through SQLite's own API to read its statement counters.</summary>
    private static long VmSteps(SqliteConnection connection, string sql, SqliteParameterCollection parameters)
    {
        if (raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement) != raw.SQLITE_OK)
        {
            throw new InvalidOperationException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string());
        }

        using (statement)
        {
            foreach (SqliteParameter p in parameters)
            {
                var index = raw.sqlite3_bind_parameter_index(statement, p.ParameterName);
                _ = p.Value switch
                {
                    // The same text Microsoft.Data.Sqlite binds for these types.
                    Guid g => raw.sqlite3_bind_text(statement, index, g.ToString().ToUpperInvariant()),
                    DateOnly d => raw.sqlite3_bind_text(statement, index, Date(d)),
                    int i => raw.sqlite3_bind_int(statement, index, i),
                    string t => raw.sqlite3_bind_text(statement, index, t),
                    _ => throw new InvalidOperationException($"cannot bind {p.ParameterName}"),
                };
            }

            while (raw.sqlite3_step(statement) == raw.SQLITE_ROW)
            {
            }

            return raw.sqlite3_stmt_status(statement, raw.SQLITE_STMTSTATUS_VM_STEP, 0);
        }
    }

    public static string Version(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = connection is NpgsqlConnection ? "SHOW server_version" : "SELECT sqlite_version()";
        return (connection is NpgsqlConnection ? "PostgreSQL " : "SQLite ") + (string)command.ExecuteScalar()!;
    }

    private static double Percentile(List<double> sorted, double p) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 3);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
