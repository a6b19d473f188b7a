using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hoursmith.Api.Data;

/// <summary>
/// Which of the two stores a context runs on, worked out once per provider. EF Core's
/// <c>IsNpgsql()</c>/<c>IsSqlite()</c> compare the provider's assembly name, which reflection builds
/// anew on every call: a few microseconds each, asked several times by every keyed POST and list page.
/// </summary>
public static class DatabaseStore
{
    private static readonly ConcurrentDictionary<Type, (bool Postgres, bool Sqlite)> s_stores = new();

    public static bool IsPostgresStore(this DatabaseFacade database) => StoreOf(database).Postgres;

    public static bool IsSqliteStore(this DatabaseFacade database) => StoreOf(database).Sqlite;

    private static (bool Postgres, bool Sqlite) StoreOf(DatabaseFacade database) =>
        s_stores.GetOrAdd(database.GetService<IDatabaseProvider>().GetType(), static (_, d) => (d.IsNpgsql(), d.IsSqlite()), database);
}
