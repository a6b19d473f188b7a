using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Auth;

/// <summary>
/// A token's row may be kept between requests only while nothing was committed since it was read:
/// a change made anywhere else (another connection, as the CLI or a second process does) shows on the
/// very next request, exactly as if every request queried.
/// </summary>
public class TokenRowCacheTests(QuietApiFactory factory) : IClassFixture<QuietApiFactory>
{
    [Fact]
    public async Task A_revocation_committed_outside_the_server_refuses_the_very_next_request()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId);
        using var client = workspace.Client(minted.Token);
        Assert.Equal(200, (int)(await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync("/api/v1/me")).StatusCode);

        await OutsideTheServerAsync(db => db.ApiTokens.Where(t => t.Id == minted.Record.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTime.UtcNow)));

        var refused = await client.GetAsync("/api/v1/me");
        await refused.AssertErrorAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task A_role_change_committed_outside_the_server_shows_on_the_very_next_request()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (memberId, token) = await workspace.TokenForRoleAsync(Role.Manager);
        using var client = workspace.Client(token);
        Assert.Equal("MANAGER", await RoleAsync(client));
        Assert.Equal("MANAGER", await RoleAsync(client));

        await OutsideTheServerAsync(db => db.Members.Where(m => m.Id == memberId).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, Role.Member)));

        Assert.Equal("MEMBER", await RoleAsync(client));
    }

    [Fact]
    public async Task A_repeated_request_reads_no_token_row_while_the_database_is_unchanged()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        using var client = workspace.Client(token);
        // The first use writes last_used_at (a commit), so the second reads the row again and keeps it.
        await client.GetAsync("/api/v1/me");
        await client.GetAsync("/api/v1/me");
        using var commands = new DatabaseCommands(factory.Database.Name);
        // EF Core caches "no one listens to commands" for up to a second; let that run out.
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.Equal(200, (int)(await client.GetAsync("/api/v1/me")).StatusCode);

        // PostgreSQL has no cheap change number: every request reads the token's row there.
        if (TempDatabase.IsPostgres)
        {
            Assert.True(commands.Count > 0, "the token lookup was not counted: the counter cannot see the database");
        }
        else
        {
            Assert.Equal(0, commands.Count);
        }
    }

    [Fact]
    public void The_version_moves_with_every_commit_made_on_another_connection_and_only_then()
    {
        using var database = new TempDatabase();
        using var db = database.OpenContext();
        using var version = new DatabaseVersion();
        if (TempDatabase.IsPostgres)
        {
            Assert.Null(version.Read(db));
            return;
        }

        var first = version.Read(db)!.Value;
        Assert.Equal(first, version.Read(db));

        using (var other = new SqliteConnection(database.ConnectionString))
        {
            other.Open();
            using var write = other.CreateCommand();
            write.CommandText = "CREATE TABLE \"Touched\" (\"Id\" INTEGER);";
            write.ExecuteNonQuery();
        }

        var second = version.Read(db)!.Value;
        Assert.Equal(first.Reader, second.Reader);
        Assert.NotEqual(first.Version, second.Version);
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared;Mode=Memory;Cache=Shared")]
    [InlineData("Data Source=file::memory:?cache=shared")]
    [InlineData("Data Source=hoursmith.db;Cache=Shared")]
    public void An_in_memory_or_shared_cache_database_has_no_version(string connectionString)
    {
        Assert.True(DatabaseVersion.IsPrivateToConnection(connectionString));
        Assert.False(DatabaseVersion.IsPrivateToConnection("Data Source=/tmp/hoursmith.db"));
    }

    private static async Task<string?> RoleAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data").GetProperty("role").GetString();

    /// <summary>A commit on a connection of its own: what the CLI, or a second server on the same database, does.</summary>
    private async Task OutsideTheServerAsync(Func<HoursmithDb, Task<int>> change)
    {
        await using var db = factory.Database.OpenContext();
        Assert.Equal(1, await change(db));
    }
}
