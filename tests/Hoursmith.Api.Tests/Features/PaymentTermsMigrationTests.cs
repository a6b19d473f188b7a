using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

/// <summary>The migrations that turn stored payment-term day counts into the reference's terms, and back.</summary>
public class PaymentTermsMigrationTests
{
    private static readonly DateTime s_at = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Day_counts_become_terms_a_count_without_a_term_becomes_null_and_down_restores_the_counts()
    {
        using var database = new TempDatabase(migrated: false);
        var before = await database.MigrationBeforeAsync("PaymentTermsAsText");

        await using var db = database.OpenContext();
        await db.MigrateToAsync(before);
        var workspace = new Workspace { Name = "Terms", Plan = Plan.Studio, CreatedAt = s_at, UpdatedAt = s_at };
        int?[] days = [0, 7, 14, 15, 30, 60, 45, null];
        var clients = days.Select(d => new Client { WorkspaceId = workspace.Id, Name = $"Client {d}", Currency = "EUR", CreatedAt = s_at, UpdatedAt = s_at }).ToList();
        db.Add(workspace);
        await db.SaveChangesAsync();
        foreach (var (client, count) in clients.Zip(days))
        {
            await OldSchema.InsertClientAsync(db, client);
            // The column as it was: an integer count of days.
            await db.Database.ExecuteSqlAsync($"""UPDATE "Clients" SET "DefaultPaymentTerms" = {count} WHERE "Id" = {client.Id}""");
        }

        await db.MigrateToAsync();

        db.ChangeTracker.Clear();
        var terms = await db.Clients.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.DefaultPaymentTerms);
        Assert.Equal(
            [PaymentTerms.DueOnReceipt, PaymentTerms.Net7, PaymentTerms.Net14, PaymentTerms.Net15, PaymentTerms.Net30, PaymentTerms.Net60, null, null],
            clients.Select(c => terms[c.Id]));

        await db.MigrateToAsync(before);

        var restored = new List<int?>();
        foreach (var client in clients)
        {
            restored.Add(await db.Database.SqlQuery<int?>($"""SELECT "DefaultPaymentTerms" AS "Value" FROM "Clients" WHERE "Id" = {client.Id}""").SingleAsync());
        }

        Assert.Equal([0, 7, 14, 15, 30, 60, null, null], restored);
    }
}
