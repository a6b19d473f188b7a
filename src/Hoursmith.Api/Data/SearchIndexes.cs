using System.Text;
using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Data;

/// <summary>
/// The text columns <c>?search=</c> reads (each list's <c>ListSpec.Search</c> fields) and the
/// substring index that serves them on each store (docs/lists.md, "Search"):
/// <list type="bullet">
/// <item>PostgreSQL: a pg_trgm GIN index per column (<see cref="PostgresHoursmithDb"/>), which
/// <c>ILIKE '%term%'</c> uses;</item>
/// <item>SQLite: an FTS5 trigram table <c>&lt;Table&gt;Search</c> over the columns, kept in step with
/// the table by triggers (<see cref="CreateSqlite"/>, run by a migration).</item>
/// </list>
/// A test checks these lists, both schemas and the list specs agree.
/// </summary>
public static class SearchIndexes
{
    public static IReadOnlyList<(Type Entity, string[] Columns)> Columns { get; } =
    [
        (typeof(Client), ["Name", "ContactName", "Email"]),
        (typeof(Project), ["Name", "Description"]),
        (typeof(WorkTask), ["Name", "Description"]),
        (typeof(TimeEntry), ["Note"]),
        (typeof(Expense), ["Description", "CustomCategory"]),
        (typeof(Invoice), ["Number"]),
        (typeof(Member), ["Name", "Email"]),
        (typeof(ApiToken), ["Name"]),
    ];

    /// <summary>The FTS5 table of <paramref name="table"/>: contentless, one row per row of the table.</summary>
    public static string SqliteTable(string table) => table + "Search";

    /// <summary>
    /// Maps the FTS5 table's integer rowid (<c>DocId</c>) to the row's <c>Id</c> and back. The table's
    /// own rowid cannot serve: its key is a TEXT Guid, and VACUUM may renumber the rowids of such tables.
    /// </summary>
    public static string SqliteIdTable(string table) => table + "SearchIds";

    /// <summary>
    /// DDL creating <paramref name="table"/>'s FTS5 trigram table, its id map and the three triggers,
    /// and filling them from the rows already there. A migration calls it with literal names; a
    /// migration that rebuilds the table (which drops its triggers) must call <see cref="DropSqlite"/>
    /// and this again afterwards.
    /// </summary>
    public static string CreateSqlite(string table, params string[] columns)
    {
        var fts = Quote(SqliteTable(table));
        var ids = Quote(SqliteIdTable(table));
        var quotedTable = Quote(table);
        var list = string.Join(", ", columns.Select(Quote));
        var docId = $"(SELECT \"DocId\" FROM {ids} WHERE \"Id\" = old.\"Id\")";
        var sql = new StringBuilder();
        sql.AppendLine($"CREATE TABLE {ids} (\"DocId\" INTEGER PRIMARY KEY, \"Id\" TEXT NOT NULL UNIQUE);");
        // Contentless (the text stays only in the table); contentless_delete lets the triggers delete
        // and update by rowid. The trigram tokenizer folds case (Unicode simple folding) by default.
        sql.AppendLine($"CREATE VIRTUAL TABLE {fts} USING fts5({list}, content='', contentless_delete=1, tokenize='trigram');");
        sql.AppendLine($"INSERT INTO {ids} (\"Id\") SELECT \"Id\" FROM {quotedTable} ORDER BY rowid;");
        sql.AppendLine($"INSERT INTO {fts} (rowid, {list}) SELECT i.\"DocId\", {string.Join(", ", columns.Select(c => "t." + Quote(c)))} " +
            $"FROM {quotedTable} AS t JOIN {ids} AS i ON i.\"Id\" = t.\"Id\";");
        sql.AppendLine($"CREATE TRIGGER {Quote(table + "_SearchInsert")} AFTER INSERT ON {quotedTable} BEGIN");
        sql.AppendLine($"    INSERT INTO {ids} (\"Id\") VALUES (new.\"Id\");");
        sql.AppendLine($"    INSERT INTO {fts} (rowid, {list}) VALUES ((SELECT \"DocId\" FROM {ids} WHERE \"Id\" = new.\"Id\"), {string.Join(", ", columns.Select(c => "new." + Quote(c)))});");
        sql.AppendLine("END;");
        sql.AppendLine($"CREATE TRIGGER {Quote(table + "_SearchUpdate")} AFTER UPDATE OF \"Id\", {list} ON {quotedTable}");
        sql.AppendLine($"WHEN {string.Join(" OR ", columns.Prepend("Id").Select(c => $"old.{Quote(c)} IS NOT new.{Quote(c)}"))} BEGIN");
        sql.AppendLine($"    UPDATE {fts} SET {string.Join(", ", columns.Select(c => $"{Quote(c)} = new.{Quote(c)}"))} WHERE rowid = {docId};");
        sql.AppendLine($"    UPDATE {ids} SET \"Id\" = new.\"Id\" WHERE \"Id\" = old.\"Id\";");
        sql.AppendLine("END;");
        sql.AppendLine($"CREATE TRIGGER {Quote(table + "_SearchDelete")} AFTER DELETE ON {quotedTable} BEGIN");
        sql.AppendLine($"    DELETE FROM {fts} WHERE rowid = {docId};");
        sql.AppendLine($"    DELETE FROM {ids} WHERE \"Id\" = old.\"Id\";");
        sql.AppendLine("END;");
        return sql.ToString();
    }

    /// <summary>Drops what <see cref="CreateSqlite"/> made for <paramref name="table"/>.</summary>
    public static string DropSqlite(string table) =>
        $"""
        DROP TRIGGER IF EXISTS {Quote(table + "_SearchInsert")};
        DROP TRIGGER IF EXISTS {Quote(table + "_SearchUpdate")};
        DROP TRIGGER IF EXISTS {Quote(table + "_SearchDelete")};
        DROP TABLE IF EXISTS {Quote(SqliteTable(table))};
        DROP TABLE IF EXISTS {Quote(SqliteIdTable(table))};
        """;

    private static string Quote(string identifier) => $"\"{identifier}\"";
}
