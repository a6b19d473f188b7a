using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hoursmith.Api.Data;

/// <summary>
/// Chooses the database provider from <c>Database:Provider</c> and prepares the database.
/// Each provider has its own <see cref="HoursmithDb"/> subclass and migrations set.
/// </summary>
public static class DatabaseSetup
{
    public const string DefaultConnectionString = "Data Source=hoursmith.db";

    /// <remarks>Every <see cref="IInterceptor"/> registered (the webhook outbox's save hooks) joins each context.</remarks>
    public static IServiceCollection AddHoursmithDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = (configuration["Database:Provider"] ?? "sqlite").Trim().ToLowerInvariant();
        switch (provider)
        {
            case "sqlite":
                // The connection string is read when the pool is built, so hosts that add configuration late (tests) are honoured.
                services.AddDbContextPool<HoursmithDb, SqliteHoursmithDb>((sp, o) => UseSqlite(o, ConnectionString(sp.GetRequiredService<IConfiguration>())).AddInterceptors(sp.GetServices<IInterceptor>()));
                break;
            case "postgres":
                services.AddDbContextPool<HoursmithDb, PostgresHoursmithDb>((sp, o) => UsePostgres(o, ConnectionString(sp.GetRequiredService<IConfiguration>())).AddInterceptors(sp.GetServices<IInterceptor>()));
                break;
            default:
                throw new InvalidOperationException($"Database:Provider '{provider}' is not supported; use 'sqlite' or 'postgres'.");
        }

        return services;
    }

    private static readonly SqliteConnectionSettings s_sqliteConnectionSettings = new();

    internal static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString)
            .AddInterceptors(s_sqliteConnectionSettings)
            // Soft-deleted parents stay referenced by their history (a deleted client's old projects),
            // and no read goes through those navigations unfiltered; the warning does not apply.
            .ConfigureWarnings(w => w
                .Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning)
                // SQLite changes a column type by rebuilding the table with foreign keys off, which it
                // cannot do inside a transaction; migrations that do so are kept free of other steps.
                .Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning));

    internal static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString)
            // Same reason as for SQLite: history rows keep pointing at soft-deleted parents.
            .ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));

    private static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Hoursmith") is { Length: > 0 } configured ? configured : DefaultConnectionString;

    /// <summary>
    /// Applies pending migrations. The embedded SQLite database migrates itself on start; a shared
    /// production database is migrated explicitly with the <c>migrate</c> command.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(HoursmithDb db, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqliteStore())
        {
            // WAL lets the CLI (another process) write while the server keeps reading.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        return pending;
    }

    public static bool MigratesOnStart(HoursmithDb db) => db.Database.IsSqliteStore();

    /// <summary>
    /// Gives SQLite's planner statistics at server start (<c>PRAGMA optimize</c>, analysing tables whose
    /// statistics are missing or stale): without them it cannot tell a project's index from the
    /// workspace's and walks a whole workspace for one project's list. PostgreSQL keeps its own.
    /// </summary>
    public static async Task OptimizeAsync(HoursmithDb db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqliteStore())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", cancellationToken);
        }
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite context without starting the app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHoursmithDb>
{
    public SqliteHoursmithDb CreateDbContext(string[] args) =>
        new((DbContextOptions<SqliteHoursmithDb>)DatabaseSetup.UseSqlite(new DbContextOptionsBuilder<SqliteHoursmithDb>(), DatabaseSetup.DefaultConnectionString).Options);
}

/// <summary>
/// Lets <c>dotnet ef migrations add … --context PostgresHoursmithDb</c> build the PostgreSQL context
/// without starting the app or reaching a server (adding a migration never connects).
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHoursmithDb>
{
    public PostgresHoursmithDb CreateDbContext(string[] args) =>
        new((DbContextOptions<PostgresHoursmithDb>)DatabaseSetup.UsePostgres(new DbContextOptionsBuilder<PostgresHoursmithDb>(), "Host=127.0.0.1;Port=55432;Database=hoursmith;Username=hoursmith").Options);
}
