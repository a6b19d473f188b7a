using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

/// <summary>
/// The migration that lets the database hold the one-timer rule (a unique index over each person's
/// running timer) on a database that already broke it: the older timers stop when the newest started.
/// </summary>
public class OneRunningTimerMigrationTests
{
    private static readonly DateTime s_at = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task The_migration_stops_all_but_each_persons_newest_running_timer_and_its_down_step_drops_the_index()
    {
        using var database = new TempDatabase(migrated: false);
        var before = await database.MigrationBeforeAsync("OneRunningTimer");

        TimeEntry older, newer, others, logged, deleted;
        await using (var db = database.OpenContext())
        {
            await db.MigrateToAsync(before);
            var workspace = new Workspace { Name = "Two timers", Plan = Plan.Studio, Currency = "EUR", CreatedAt = s_at, UpdatedAt = s_at };
            var owner = new Member { Workspace = workspace, Name = "Olga", Email = "olga@example.com", Role = Role.Owner, CreatedAt = s_at, UpdatedAt = s_at };
            var other = new Member { Workspace = workspace, Name = "Max", Email = "max@example.com", Role = Role.Member, CreatedAt = s_at, UpdatedAt = s_at };
            var client = new Client { WorkspaceId = workspace.Id, Name = "Acme", Currency = "EUR", CreatedAt = s_at, UpdatedAt = s_at };
            var project = new Project { WorkspaceId = workspace.Id, ClientId = client.Id, Name = "Website", CreatedAt = s_at, UpdatedAt = s_at };
            TimeEntry Entry(Member member, DateTime started, DateTime? stopped = null, DateTime? deletedAt = null) => new()
            {
                WorkspaceId = workspace.Id,
                MemberId = member.Id,
                Project = project,
                EntryDate = DateOnly.FromDateTime(started),
                StartedAt = started,
                StoppedAt = stopped,
                DurationSeconds = stopped is { } end ? (long)(end - started).TotalSeconds : null,
                DeletedAt = deletedAt,
                CreatedAt = started,
                UpdatedAt = started,
            };
            older = Entry(owner, s_at);
            newer = Entry(owner, s_at.AddMinutes(90));
            others = Entry(other, s_at);
            logged = Entry(owner, s_at.AddHours(-3), stopped: s_at.AddHours(-2));
            deleted = Entry(owner, s_at.AddHours(2), deletedAt: s_at.AddHours(3));
            db.Add(workspace);
            await db.SaveChangesAsync();
            await OldSchema.InsertClientAsync(db, client);
            db.AddRange(owner, other, project, older, newer, others, logged, deleted);
            await db.SaveChangesAsync();

            await db.Database.MigrateAsync();
        }

        await using (var db = database.OpenContext())
        {
            var after = await db.TimeEntries.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(e => e.Id);
            // Stopped when the newer one started, with its duration, and marked changed for incremental sync.
            Assert.Equal(s_at.AddMinutes(90), after[older.Id].StoppedAt);
            Assert.Equal(90 * 60, after[older.Id].DurationSeconds);
            Assert.True(after[older.Id].UpdatedAt > s_at.AddMinutes(90));
            Assert.Null(after[newer.Id].StoppedAt);
            Assert.Equal(newer.UpdatedAt, after[newer.Id].UpdatedAt);
            Assert.Null(after[others.Id].StoppedAt);
            Assert.Equal(s_at.AddHours(-2), after[logged.Id].StoppedAt);
            Assert.Equal(logged.UpdatedAt, after[logged.Id].UpdatedAt);
            Assert.Null(after[deleted.Id].StoppedAt);

            // The index holds from now on.
            TimeEntry SecondRunningTimer() => new()
            {
                WorkspaceId = newer.WorkspaceId,
                MemberId = newer.MemberId,
                ProjectId = newer.ProjectId,
                EntryDate = DateOnly.FromDateTime(s_at),
                StartedAt = s_at.AddHours(4),
                CreatedAt = s_at,
                UpdatedAt = s_at,
            };

            db.TimeEntries.Add(SecondRunningTimer());
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();

            // Down: the index goes, and a second running timer is accepted again.
            await db.MigrateToAsync(before);
            db.TimeEntries.Add(SecondRunningTimer());
            await db.SaveChangesAsync();
        }
    }
}
