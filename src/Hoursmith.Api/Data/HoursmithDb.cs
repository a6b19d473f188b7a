using Hoursmith.Api.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hoursmith.Api.Data;

/// <summary>
/// The one EF Core model. Provider-specific subclasses (<see cref="SqliteHoursmithDb"/>,
/// <see cref="PostgresHoursmithDb"/>) exist only
/// so each provider keeps its own migrations set; features depend on this base type.
/// </summary>
public abstract class HoursmithDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Client> Clients => Set<Client>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectMember> ProjectMembers => Set<ProjectMember>();
    public DbSet<WorkTask> Tasks => Set<WorkTask>();
    public DbSet<TaskAssignee> TaskAssignees => Set<TaskAssignee>();
    public DbSet<TimeEntry> TimeEntries => Set<TimeEntry>();
    public DbSet<Expense> Expenses => Set<Expense>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<ServerSecret> ServerSecrets => Set<ServerSecret>();
    public DbSet<SignInLink> SignInLinks => Set<SignInLink>();

    /// <summary>The keys that sign session cookies and antiforgery tokens, shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        TruncateTimestampsToMicroseconds();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        TruncateTimestampsToMicroseconds();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL keeps timestamps to the microsecond, .NET to 100 ns: cut written values to the coarser
    /// precision on every provider, so a response shows what a later read returns, whatever the store.
    /// </summary>
    private void TruncateTimestampsToMicroseconds()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is DateTime value && value.Ticks % TimeSpan.TicksPerMicrosecond != 0)
                {
                    property.CurrentValue = ToMicroseconds(value);
                }
            }
        }
    }

    /// <summary><paramref name="value"/> cut to the microsecond, the precision every store keeps.</summary>
    public static DateTime ToMicroseconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond), value.Kind);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HoursmithDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Timestamps are UTC everywhere; SQLite loses DateTime.Kind, so restore it on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        // Enums are stored by name, so the data reads the same from any tool.
        configurationBuilder.Properties<ProjectStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<RateType>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<WorkTaskStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<TaskPriority>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ExpenseCategory>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<InvoiceStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<PaymentStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<InvoiceLineKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<PaymentTerms>().HaveConversion<string>().HaveMaxLength(16);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqliteHoursmithDb(DbContextOptions<SqliteHoursmithDb> options) : HoursmithDb(options);

public sealed class PostgresHoursmithDb(DbContextOptions<PostgresHoursmithDb> options) : HoursmithDb(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // ?search= is ILIKE '%term%' over these columns; a trigram GIN index per column serves it (and
        // an OR over several columns as a BitmapOr). SQLite's FTS5 equivalent is made by a migration.
        modelBuilder.HasPostgresExtension("pg_trgm");
        foreach (var (entity, columns) in SearchIndexes.Columns)
        {
            var builder = modelBuilder.Entity(entity);
            foreach (var column in columns)
            {
                builder.HasIndex(column).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName($"IX_{builder.Metadata.GetTableName()}_{column}_Trgm");
            }
        }
    }
}
