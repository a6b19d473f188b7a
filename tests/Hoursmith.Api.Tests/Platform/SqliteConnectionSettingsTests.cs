using Hoursmith.Api.Data;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>Every SQLite connection the server opens has the 32 MiB page cache (SqliteConnectionSettings), reused or new.</summary>
public class SqliteConnectionSettingsTests
{
    [Fact]
    public async Task Every_connection_the_server_opens_has_the_larger_page_cache()
    {
        await using var factory = new ApiFactory();
        var expected = TempDatabase.IsPostgres ? (long?)null : -SqliteConnectionSettings.CacheKiB;

        // Several at once (so the pool holds more than one connection), then again (pooled ones, reused).
        for (var pass = 0; pass < 2; pass++)
        {
            var seen = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => factory.WithDbAsync(CacheSizeAsync)));
            Assert.All(seen, cacheSize => Assert.Equal(expected, cacheSize));
        }
    }

    /// <summary><c>PRAGMA cache_size</c> on the context's own connection, held open meanwhile; null on PostgreSQL, which has no such setting.</summary>
    private static async Task<long?> CacheSizeAsync(HoursmithDb db)
    {
        if (!db.Database.IsSqliteStore())
        {
            return null;
        }

        await db.Database.OpenConnectionAsync();
        try
        {
            // Held a moment, so the other contexts of this pass open connections of their own.
            await Task.Delay(50);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA cache_size;";
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
