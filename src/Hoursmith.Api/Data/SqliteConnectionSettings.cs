using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Hoursmith.Api.Data;

/// <summary>
/// Gives each SQLite connection a 32 MiB page cache, set once per native connection (a pooled
/// connection keeps it). SQLite's default cache is 2 MiB; once a workspace's search indexes
/// outgrow it (about 20,000 clients sharing an email domain), every insert re-read the FTS5 segments
/// it merges from the file, a system call per page: creating a client went from 0.3 ms of CPU to
/// 1.3 ms and kept growing. Pages are allocated as used, and in WAL mode a connection's cache is
/// dropped whenever another connection has written, so few connections fill theirs.
/// See docs/architecture.md, "Databases".
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    /// <summary>Per connection, in KiB (SQLite reads a negative <c>cache_size</c> as KiB).</summary>
    public const int CacheKiB = 32 * 1024;

    private static readonly string s_setCacheSize = $"PRAGMA cache_size = -{CacheKiB};";

    private static readonly object s_prepared = new();

    /// <summary>The native connections already set up, held weakly: a connection the pool closes for good drops out.</summary>
    private readonly ConditionalWeakTable<sqlite3, object> _prepared = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Prepare(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        // Synchronous on purpose: Microsoft.Data.Sqlite runs its async methods synchronously anyway.
        Prepare(connection);
        return Task.CompletedTask;
    }

    private void Prepare(DbConnection connection)
    {
        // Every open asks; the lock-free read answers all but the first (TryAdd takes the table's lock).
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || _prepared.TryGetValue(handle, out _) || !_prepared.TryAdd(handle, s_prepared))
        {
            return;
        }

        using var command = sqlite.CreateCommand();
        command.CommandText = s_setCacheSize;
        command.ExecuteNonQuery();
    }
}
