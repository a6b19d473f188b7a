using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The migration that scopes Idempotency-Keys to the member: records stored before it keep their
/// place under the empty member id (owner unknown), and its down step goes back to one per key.
/// </summary>
public class IdempotencyKeysMigrationTests
{
    private static readonly DateTime s_at = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Existing_records_are_kept_under_the_unknown_member_and_the_down_step_keeps_one_per_key()
    {
        using var database = new TempDatabase(migrated: false);
        var before = await database.MigrationBeforeAsync("IdempotencyKeysPerMember");

        await using var db = database.OpenContext();
        await db.MigrateToAsync(before);
        var workspace = new Workspace { Name = "Keys", Plan = Plan.Studio, CreatedAt = s_at, UpdatedAt = s_at };
        db.Add(workspace);
        await db.SaveChangesAsync();
        // The table as it was: no member column.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "IdempotencyRecords" ("WorkspaceId", "Key", "RequestHash", "CreatedAt", "ExpiresAt", "ResponseStatus")
            VALUES ({workspace.Id}, {"before-upgrade"}, {new byte[] { 1, 2, 3 }}, {s_at}, {s_at.AddDays(1)}, {201})
            """);

        await db.MigrateToAsync();

        var kept = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.WorkspaceId == workspace.Id);
        Assert.Equal(Guid.Empty, kept.MemberId);
        Assert.Equal("before-upgrade", kept.Key);
        Assert.Equal(201, kept.ResponseStatus);

        // Two people's records under one key, then down: one record per workspace and key is left.
        IdempotencyRecord Record(Guid memberId) => new()
        {
            WorkspaceId = workspace.Id,
            MemberId = memberId,
            Key = "shared",
            RequestHash = [4, 5, 6],
            CreatedAt = s_at,
            ExpiresAt = s_at.AddDays(1),
        };
        db.IdempotencyRecords.AddRange(Record(Guid.CreateVersion7()), Record(Guid.CreateVersion7()));
        await db.SaveChangesAsync();

        await db.MigrateToAsync(before);

        var left = await db.Database.SqlQuery<string>($"""SELECT "Key" AS "Value" FROM "IdempotencyRecords" ORDER BY "Key" """).ToListAsync();
        Assert.Equal(["before-upgrade", "shared"], left);
    }
}
