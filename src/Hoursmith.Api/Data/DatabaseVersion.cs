using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Data;

/// <summary>
/// A number that changes whenever anyone commits to the embedded SQLite database: this process on any
/// other connection, or another process such as the CLI. It is <c>PRAGMA data_version</c>, read on a
/// connection of its own that never writes, so every commit is someone else's and moves it. What was
/// read after a given version is still what a query would return while the version stays the same,
/// which lets a hot read (a token's row) be kept exactly as fresh as querying it every time.
/// PostgreSQL has no number this cheap (it would take a round trip of its own), and an in-memory
/// SQLite database is private to each connection: for both the version is null, meaning "query".
/// </summary>
public sealed class DatabaseVersion : IDisposable
{
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private SqliteCommand? _command;
    private volatile bool _unavailable;

    /// <summary>The current version, or null when none can be had here (then read from the database).</summary>
    public long? Read(HoursmithDb db)
    {
        if (_unavailable)
        {
            return null;
        }

        lock (_lock)
        {
            try
            {
                if (_command is null && !TryOpen(db))
                {
                    return null;
                }

                return (long)_command!.ExecuteScalar()!;
            }
            catch (SqliteException)
            {
                // Nothing is known about what changed: read from the database, and reopen next time.
                Close();
                return null;
            }
        }
    }

    private bool TryOpen(HoursmithDb db)
    {
        if (!db.Database.IsSqlite() || db.Database.GetConnectionString() is not { } connectionString || IsPrivateToConnection(connectionString))
        {
            _unavailable = true;
            return false;
        }

        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _command = _connection.CreateCommand();
        _command.CommandText = "PRAGMA data_version;";
        _command.Prepare();
        return true;
    }

    /// <summary>In-memory databases (private, or shared-cache where commits on one cache do not move another's version).</summary>
    internal static bool IsPrivateToConnection(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.Cache == SqliteCacheMode.Shared ||
            builder.DataSource is "" or ":memory:" || builder.DataSource.StartsWith("file::memory:", StringComparison.OrdinalIgnoreCase);
    }

    private void Close()
    {
        _command?.Dispose();
        _connection?.Dispose();
        _command = null;
        _connection = null;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            Close();
        }
    }
}
