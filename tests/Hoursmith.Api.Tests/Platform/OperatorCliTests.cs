using System.Text.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>The operator finds ids and onboards a member without reading the database: workspaces list → members add → members list → members sign-in-link.</summary>
public sealed class OperatorCliTests : IDisposable
{
    private readonly TempDatabase _database = new();

    private Task<ProcessResult> Cli(params string[] args) => AppProcess.RunCliAsync(_database.ConnectionString, args);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Workspaces_and_members_are_listed_and_a_sign_in_link_is_printed_once_as_json()
    {
        var created = await Cli("workspaces", "create", "--name", "Acme Studio", "--plan", "agency", "--owner-email", "ada@acme.test", "--owner-name", "Ada");
        var workspaceId = created.Json.GetProperty("workspaceId").GetString()!;
        var ownerId = created.Json.GetProperty("ownerMemberId").GetString()!;
        await Cli("workspaces", "set-plan", "--workspace", workspaceId, "--status", "lapsed");

        var workspaces = await Cli("workspaces", "list");
        Assert.Equal(0, workspaces.ExitCode);
        var listed = Assert.Single(workspaces.Json.EnumerateArray());
        Assert.Equal(["workspaceId", "name", "plan", "status", "ownerMemberId", "ownerEmail"], listed.EnumerateObject().Select(p => p.Name));
        Assert.Equal(workspaceId, listed.GetProperty("workspaceId").GetString());
        Assert.Equal("Acme Studio", listed.GetProperty("name").GetString());
        Assert.Equal("agency", listed.GetProperty("plan").GetString());
        Assert.Equal("lapsed", listed.GetProperty("status").GetString());
        Assert.Equal(ownerId, listed.GetProperty("ownerMemberId").GetString());
        Assert.Equal("ada@acme.test", listed.GetProperty("ownerEmail").GetString());

        var memberId = (await Cli("members", "add", "--workspace", workspaceId, "--email", "max@acme.test", "--name", "Max", "--role", "member")).Json.GetProperty("memberId").GetString()!;
        var members = await Cli("members", "list", "--workspace", workspaceId);
        Assert.Equal(0, members.ExitCode);
        var rows = members.Json.EnumerateArray().ToList();
        Assert.Equal([ownerId, memberId], rows.Select(r => r.GetProperty("memberId").GetString()));
        Assert.Equal(["memberId", "email", "name", "role"], rows[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["OWNER", "MEMBER"], rows.Select(r => r.GetProperty("role").GetString()));
        Assert.Equal("max@acme.test", rows[1].GetProperty("email").GetString());

        var before = DateTime.UtcNow;
        var link = await Cli("members", "sign-in-link", "--workspace", workspaceId, "--member", memberId);
        Assert.Equal(0, link.ExitCode);
        Assert.Equal("", link.StandardError);
        // No public URL configured: the server's default address.
        Assert.Matches("^http://localhost:5080/sign-in/[A-Za-z0-9_-]{43}$", link.Json.GetProperty("url").GetString());
        var expiresAt = link.Json.GetProperty("expiresAt").GetDateTime().ToUniversalTime();
        Assert.InRange(expiresAt, before.AddMinutes(14), DateTime.UtcNow.AddMinutes(16));

        var withPublicUrl = await AppProcess.RunAsync(["members", "sign-in-link", "--workspace", workspaceId, "--member", ownerId, "--minutes", "1440"],
            new Dictionary<string, string>(AppProcess.Environment(_database.ConnectionString)) { ["Hoursmith__PublicUrl"] = "https://time.example.com/" });
        Assert.Matches("^https://time\\.example\\.com/sign-in/[A-Za-z0-9_-]{43}$", withPublicUrl.Json.GetProperty("url").GetString());
        Assert.InRange(withPublicUrl.Json.GetProperty("expiresAt").GetDateTime().ToUniversalTime(), before.AddHours(23.9), DateTime.UtcNow.AddHours(24.1));

        // Only a hash is stored: the code printed appears nowhere in the database.
        var code = link.Json.GetProperty("url").GetString()!.Split('/')[^1];
        await using var db = _database.OpenContext();
        Assert.Equal(2, db.SignInLinks.Count());
        Assert.All(db.SignInLinks.ToList(), l => Assert.Equal(32, l.CodeHash.Length));
        Assert.DoesNotContain(db.SignInLinks.ToList(), l => System.Text.Encoding.ASCII.GetString(l.CodeHash).Contains(code, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2, "--minutes", "0")]
    [InlineData(2, "--minutes", "1441")]
    [InlineData(2, "--minutes", "soon")]
    [InlineData(1)]
    public async Task A_bad_sign_in_link_request_is_one_line_on_stderr(int exitCode, params string[] extra)
    {
        var created = await Cli("workspaces", "create", "--name", "Bad Links", "--plan", "studio", "--owner-email", "bad@links.test");
        var workspaceId = created.Json.GetProperty("workspaceId").GetString()!;
        var member = extra.Length == 0 ? Guid.NewGuid().ToString() : created.Json.GetProperty("ownerMemberId").GetString()!;

        var result = await Cli(["members", "sign-in-link", "--workspace", workspaceId, "--member", member, .. extra]);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.StartsWith("error: ", result.StandardError);
        // The error, and for a parse error the usage hint after it.
        Assert.InRange(result.StandardError.Trim().Split('\n').Length, 1, 2);
    }

    [Fact]
    public async Task Listing_the_members_of_a_missing_workspace_fails()
    {
        var result = await Cli("members", "list", "--workspace", Guid.NewGuid().ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.StandardError);
        Assert.Equal(JsonValueKind.Array, (await Cli("workspaces", "list")).Json.ValueKind);
    }
}
