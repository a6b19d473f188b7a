using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hoursmith.Api.Data;

/// <summary>Reads what a failed save ran into, on either provider.</summary>
internal static class DatabaseErrors
{
    private const int SqliteUniqueConstraint = 2067; // SQLITE_CONSTRAINT_UNIQUE
    private const int SqlitePrimaryKeyConstraint = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY

    /// <summary>Whether the save broke any unique index or primary key.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => IsUniqueViolation(exception.InnerException);

    /// <summary>Whether <paramref name="exception"/> is the provider's error for a broken unique index or primary key.</summary>
    public static bool IsUniqueViolation(Exception? exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or SqliteException { SqliteExtendedErrorCode: SqliteUniqueConstraint or SqlitePrimaryKeyConstraint };

    /// <summary>
    /// Whether the save broke the unique index <paramref name="index"/> (as the model names it):
    /// PostgreSQL names the index, SQLite lists its table's columns, read here from the model.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception, string index) =>
        exception.InnerException switch
        {
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres => postgres.ConstraintName == index,
            SqliteException { SqliteExtendedErrorCode: SqliteUniqueConstraint } sqlite => exception.Entries
                .SelectMany(entry => entry.Metadata.GetIndexes())
                .FirstOrDefault(candidate => candidate.GetDatabaseName() == index) is { } found
                && sqlite.Message.Contains(
                    string.Join(", ", found.Properties.Select(p => $"{found.DeclaringEntityType.GetTableName()}.{p.GetColumnName()}")),
                    StringComparison.Ordinal),
            _ => false,
        };
}
