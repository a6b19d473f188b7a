using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hoursmith.Api.Data;

/// <summary>Reads what a failed save ran into, on either provider.</summary>
internal static class DatabaseErrors
{
    private const int SqliteUniqueConstraint = 2067; // SQLITE_CONSTRAINT_UNIQUE

    /// <summary>
    /// Whether the save broke the unique index <paramref name="index"/> on <paramref name="table"/>'s
    /// <paramref name="columns"/>: PostgreSQL names the index, SQLite lists its columns.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception, string index, string table, params string[] columns) =>
        exception.InnerException switch
        {
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres => postgres.ConstraintName == index,
            SqliteException { SqliteExtendedErrorCode: SqliteUniqueConstraint } sqlite =>
                sqlite.Message.Contains(string.Join(", ", columns.Select(c => $"{table}.{c}")), StringComparison.Ordinal),
            _ => false,
        };
}
