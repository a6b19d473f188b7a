using System.Data.Common;
using Hoursmith.Api.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Hoursmith.Bench;

/// <summary>
/// The database a command works on: <c>--db PATH</c> (the embedded SQLite file) or
/// <c>--postgres CONNECTION-STRING</c> (a PostgreSQL database the CLI migrated).
/// </summary>
internal sealed record Store(bool IsPostgres, string ConnectionString)
{
    public static Store From(Options options, bool readOnly = false) =>
        options.Optional("postgres") is { Length: > 0 } postgres
            ? new Store(true, postgres)
            : new Store(false, new SqliteConnectionStringBuilder
            {
                DataSource = options.Required("db"),
                Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
                Pooling = readOnly,
            }.ToString());

    /// <summary>A context of the app's own model on this store, as the app's pool makes them.</summary>
    public HoursmithDb CreateContext() => IsPostgres
        ? new PostgresHoursmithDb(new DbContextOptionsBuilder<PostgresHoursmithDb>().UseNpgsql(ConnectionString).Options)
        : new SqliteHoursmithDb(new DbContextOptionsBuilder<SqliteHoursmithDb>().UseSqlite(ConnectionString).Options);

    /// <summary>A pool of contexts, as the app registers them (AddDbContextPool).</summary>
    public Func<HoursmithDb> Pool()
    {
        if (IsPostgres)
        {
            var postgres = new PooledDbContextFactory<PostgresHoursmithDb>(new DbContextOptionsBuilder<PostgresHoursmithDb>().UseNpgsql(ConnectionString).Options);
            return postgres.CreateDbContext;
        }

        var sqlite = new PooledDbContextFactory<SqliteHoursmithDb>(new DbContextOptionsBuilder<SqliteHoursmithDb>().UseSqlite(ConnectionString).Options);
        return sqlite.CreateDbContext;
    }

    public DbConnection Open()
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }
}
