using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Hoursmith.Api.Data;

/// <summary>
/// Tells whether anyone committed to the embedded SQLite database since a moment: this process on
/// any other connection, or another process such as the CLI. It reads <c>PRAGMA data_version</c> on
/// connections of their own that never write, so every commit is someone else's and moves the
/// number. What was read after an <see cref="Observation"/> is still what a query would return while
/// the same reader reports the same number, which lets a hot read (a token's row) be kept exactly as
/// fresh as querying it every time.
/// </summary>
/// <remarks>
/// Each reader numbers on its own, so an observation names its reader; requests take a free reader
/// (one per concurrent request at most) instead of queueing on one connection. PostgreSQL has no
/// number this cheap (it would take a round trip of its own), and an in-memory SQLite database is
/// private to each connection: for both <see cref="Read"/> answers null, meaning "query".
/// </remarks>
public sealed class DatabaseVersion : IDisposable
{
    /// <summary>Readers kept; more concurrent requests than this read from the database as before.</summary>
    public const int MaxReaders = 64;

    private readonly ConcurrentBag<Reader> _free = [];
    private int _created;
    private volatile bool _unavailable;
    private volatile bool _disposed;

    /// <summary>A reader's number at one moment.</summary>
    public readonly record struct Observation(int Reader, long Version);

    /// <summary>The current version, or null when none can be had here (then read from the database).</summary>
    public Observation? Read(HoursmithDb db)
    {
        if (_unavailable || _disposed || (!_free.TryTake(out var reader) && (reader = TryCreate(db)) is null))
        {
            return null;
        }

        try
        {
            var observation = new Observation(reader.Index, reader.Step());
            _free.Add(reader);
            return observation;
        }
        catch (SqliteException)
        {
            // Nothing is known about what changed: this reader goes, the caller queries.
            reader.Dispose();
            return null;
        }
    }

    private Reader? TryCreate(HoursmithDb db)
    {
        if (!db.Database.IsSqliteStore() || db.Database.GetConnectionString() is not { } connectionString || IsPrivateToConnection(connectionString))
        {
            _unavailable = true;
            return null;
        }

        var index = Interlocked.Increment(ref _created);
        if (index > MaxReaders)
        {
            Interlocked.Decrement(ref _created);
            return null;
        }

        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // A statement of our own, stepped directly: a data reader per call cost more than the pragma itself.
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(connection.Handle, "PRAGMA data_version;", out var statement), connection.Handle);
        return new Reader(index, connection, statement);
    }

    /// <summary>In-memory databases: private to a connection, or a shared cache whose commits do not move another connection's number.</summary>
    internal static bool IsPrivateToConnection(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.Cache == SqliteCacheMode.Shared ||
            builder.DataSource is "" or ":memory:" || builder.DataSource.StartsWith("file::memory:", StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_free.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private sealed record Reader(int Index, SqliteConnection Connection, sqlite3_stmt Statement) : IDisposable
    {
        public long Step()
        {
            try
            {
                var rc = raw.sqlite3_step(Statement);
                if (rc != raw.SQLITE_ROW)
                {
                    SqliteException.ThrowExceptionForRC(rc, Connection.Handle);
                    throw new SqliteException("PRAGMA data_version returned no row.", rc);
                }

                return raw.sqlite3_column_int64(Statement, 0);
            }
            finally
            {
                raw.sqlite3_reset(Statement);
            }
        }

        public void Dispose()
        {
            Statement.Dispose();
            Connection.Dispose();
        }
    }
}
