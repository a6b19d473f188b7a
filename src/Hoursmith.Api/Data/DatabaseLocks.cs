using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Data;

/// <summary>Makes writers that must see each other's commits take turns, on either provider.</summary>
internal static class DatabaseLocks
{
    /// <summary>
    /// Holds the lock <paramref name="name"/> until the current transaction ends, so a second request for
    /// the same name waits for the first to commit and then reads what it wrote. PostgreSQL: a
    /// transaction-level advisory lock. SQLite: nothing to take, a write transaction already holds the
    /// database's one write lock from its start (BEGIN IMMEDIATE). Outside a transaction nothing is held.
    /// </summary>
    public static async Task HoldAsync(HoursmithDb db, string name, CancellationToken cancellationToken)
    {
        if (db.Database.IsPostgresStore() && db.Database.CurrentTransaction is not null)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({name}, 0))", cancellationToken);
        }
    }
}
