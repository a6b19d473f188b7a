using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

/// <summary>
/// How the database runs the queries lists send (docs/lists.md, "Keyset pagination"): asked of the
/// database itself with the exact SQL and values the API sent.
/// </summary>
public class ListPlanTests(CommandCaptureFactory factory) : IClassFixture<CommandCaptureFactory>
{
    private static readonly DateTime s_base = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly s_day = new(2026, 3, 5);

    [Fact]
    public async Task A_page_after_a_cursor_starts_its_index_scan_at_the_cursor_not_at_the_newest_row()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, projectId) = await factory.AddClientAndProjectAsync(workspace, s_base);
        await factory.WithDbAsync(async db =>
        {
            db.TimeEntries.AddRange(Enumerable.Range(0, 40).Select(i => new TimeEntry
            {
                WorkspaceId = workspace.Id,
                MemberId = workspace.OwnerId,
                ProjectId = projectId,
                EntryDate = s_day.AddDays(i % 10),
                DurationSeconds = 600,
                Billable = true,
                CreatedAt = s_base.AddSeconds(i),
                UpdatedAt = s_base.AddSeconds(i),
            }));
            await db.SaveChangesAsync();
            if (TempDatabase.IsPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE \"TimeEntries\"");
            }

            return 0;
        });

        var reader = new ListReader(workspace, workspace.OwnerId);
        var list = $"/api/v1/time-entries?projectId={projectId}&sort=-entryDate&limit=5";
        var first = await reader.PageAsync(list);
        var cursorDate = first.Rows[^1].GetProperty("entryDate").GetString()!;
        var second = await reader.PageAsync($"{list}&cursor={Uri.EscapeDataString(first.NextCursor!)}");
        Assert.Equal(5, second.Rows.Count);
        Assert.Empty(second.Ids.Intersect(first.Ids));

        var command = factory.Commands.Last(c => c.Sql.Contains("FROM \"TimeEntries\"", StringComparison.Ordinal)
            && c.Sql.Contains("\"EntryDate\" <", StringComparison.Ordinal));
        var plan = await factory.PlanAsync(command, "SET enable_seqscan = off");
        var shown = $"{command.Sql}\nplan:\n{string.Join('\n', plan)}";
        if (TempDatabase.IsPostgres)
        {
            // Without the bound, PostgreSQL applies the keyset's OR as a filter and reads every newer row first.
            Assert.True(plan.Any(line => line.Contains("Index Cond:", StringComparison.Ordinal)
                && line.Contains($"\"EntryDate\" <= '{cursorDate}'::date", StringComparison.Ordinal)), shown);
        }
        else
        {
            Assert.True(plan.Any(line => line.StartsWith("SEARCH ", StringComparison.Ordinal) && line.Contains("EntryDate<?", StringComparison.Ordinal)), shown);
        }
    }
}
