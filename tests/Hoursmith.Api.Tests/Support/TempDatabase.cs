using Hoursmith.Api.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// A database of one test's own, shared with any process it starts; removed afterwards. A SQLite
/// file by default; with <c>HOURSMITH_TEST_DATABASE=postgres</c> a fresh PostgreSQL database on the
/// server named by <c>HOURSMITH_TEST_POSTGRES</c> (default: the one <c>scripts/services start</c> runs).
/// </summary>
public sealed class TempDatabase : IDisposable
{
    /// <summary>The settings <c>scripts/services start</c> prints; its database only serves to create and drop ours.</summary>
    public const string DefaultPostgresServer = "Host=127.0.0.1;Port=55432;Database=hoursmith;Username=hoursmith;Password=hoursmith-local";

    /// <summary>The <c>Database:Provider</c> every test host and started process gets.</summary>
    public static string Provider { get; } = ProviderFromEnvironment();

    public static bool IsPostgres => Provider == "postgres";

    internal static string PostgresServer =>
        Environment.GetEnvironmentVariable("HOURSMITH_TEST_POSTGRES") is { Length: > 0 } configured ? configured : DefaultPostgresServer;

    private readonly string? _postgresName;

    /// <param name="migrated">
    /// PostgreSQL only: apply the migrations first, as an operator runs <c>migrate</c> before starting the
    /// server (only the embedded SQLite migrates itself on start). False for a test of <c>migrate</c> itself.
    /// </param>
    public TempDatabase(bool migrated = true)
    {
        if (!IsPostgres)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hoursmith-test-{Guid.NewGuid():N}.db");
            ConnectionString = $"Data Source={Path}";
            return;
        }

        _postgresName = $"hoursmith_test_{Guid.NewGuid():N}";
        using (var server = new NpgsqlConnection(PostgresServer))
        {
            server.Open();
            using var create = server.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{_postgresName}\"";
            create.ExecuteNonQuery();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _postgresName }.ConnectionString;
        if (migrated)
        {
            // The code path of the migrate command; off the test's synchronization context, which must not be blocked on.
            Task.Run(async () =>
            {
                await using var db = new PostgresHoursmithDb((DbContextOptions<PostgresHoursmithDb>)DatabaseSetup.UsePostgres(new DbContextOptionsBuilder<PostgresHoursmithDb>(), ConnectionString).Options);
                await DatabaseSetup.MigrateAsync(db);
            }).GetAwaiter().GetResult();
        }
    }

    /// <summary>What a connection to this database reports as its data source (SQLite: the file) or database (PostgreSQL).</summary>
    public string Name => Path ?? _postgresName!;

    /// <summary>The SQLite file; null on PostgreSQL.</summary>
    public string? Path { get; }

    public string ConnectionString { get; }

    /// <summary>A context of the app's model on this database, configured as the app configures it (no host).</summary>
    public HoursmithDb OpenContext() => IsPostgres
        ? new PostgresHoursmithDb((DbContextOptions<PostgresHoursmithDb>)DatabaseSetup.UsePostgres(new DbContextOptionsBuilder<PostgresHoursmithDb>(), ConnectionString).Options)
        : new SqliteHoursmithDb((DbContextOptions<SqliteHoursmithDb>)DatabaseSetup.UseSqlite(new DbContextOptionsBuilder<SqliteHoursmithDb>(), ConnectionString).Options);

    /// <summary>The SQLite main file and its write-ahead log and index, whichever exist (none on PostgreSQL).</summary>
    public IEnumerable<string> Files => Path is null ? [] : new[] { "", "-wal", "-shm" }.Select(suffix => Path + suffix).Where(File.Exists);

    public void Dispose()
    {
        if (_postgresName is not null)
        {
            DropPostgres(_postgresName);
            return;
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in Files)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temp file left behind is harmless.
            }
        }
    }

    private void DropPostgres(string name)
    {
        using (var ours = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(ours);
        }

        try
        {
            using var server = new NpgsqlConnection(PostgresServer);
            server.Open();
            using var drop = server.CreateCommand();
            // FORCE ends the sessions a server process of the test may still hold.
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // A test database left behind is harmless: its name is unique.
        }
    }

    private static string ProviderFromEnvironment() => Environment.GetEnvironmentVariable("HOURSMITH_TEST_DATABASE") switch
    {
        null or "" or "sqlite" => "sqlite",
        "postgres" => "postgres",
        var other => throw new InvalidOperationException($"HOURSMITH_TEST_DATABASE='{other}': use 'sqlite' (the default) or 'postgres'."),
    };
}
