using System.Text.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>The CLI as an operator runs it: a separate process, JSON on stdout, one-line errors and exit codes.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDatabase _database = new();

    private Task<ProcessResult> Cli(params string[] args) => AppProcess.RunCliAsync(_database.ConnectionString, args);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Workspace_member_and_token_commands_print_json_and_never_a_secret_twice()
    {
        var created = await Cli("workspaces", "create", "--name", "Acme Studio", "--plan", "studio", "--owner-email", "ada@acme.test", "--currency", "EUR");
        Assert.Equal(0, created.ExitCode);
        var workspaceId = created.Json.GetProperty("workspaceId").GetString()!;
        var ownerId = created.Json.GetProperty("ownerMemberId").GetString()!;

        var added = await Cli("members", "add", "--workspace", workspaceId, "--email", "max@acme.test", "--name", "Max", "--role", "manager");
        Assert.Equal(0, added.ExitCode);
        var memberId = added.Json.GetProperty("memberId").GetString()!;

        var role = await Cli("members", "set-role", "--workspace", workspaceId, "--member", memberId, "--role", "admin");
        Assert.Equal("ADMIN", role.Json.GetProperty("role").GetString());

        var minted = await Cli("tokens", "mint", "--workspace", workspaceId, "--member", ownerId, "--name", "Zapier", "--expires", "2999-12-31");
        Assert.Equal(0, minted.ExitCode);
        var token = minted.Json.GetProperty("token").GetString()!;
        Assert.Matches("^hsk_test_[0-9a-f]{12}_[0-9A-Za-z]{32}$", token);
        Assert.Equal(token.Split('_')[2], minted.Json.GetProperty("prefix").GetString());

        var listed = await Cli("tokens", "list", "--workspace", workspaceId);
        Assert.Equal(0, listed.ExitCode);
        var only = Assert.Single(listed.Json.EnumerateArray());
        Assert.Equal("Zapier", only.GetProperty("name").GetString());
        Assert.Equal("3000-01-01T00:00:00Z", only.GetProperty("expiresAt").GetString());
        Assert.DoesNotContain(token.Split('_')[3], listed.StandardOutput);

        var revoked = await Cli("tokens", "revoke", "--prefix", token.Split('_')[2]);
        Assert.Equal("revoked", revoked.Json.GetProperty("status").GetString());

        var plan = await Cli("workspaces", "set-plan", "--workspace", workspaceId, "--plan", "agency", "--status", "lapsed");
        Assert.Equal("agency", plan.Json.GetProperty("plan").GetString());
        Assert.Equal("lapsed", plan.Json.GetProperty("planStatus").GetString());

        var removed = await Cli("members", "remove", "--workspace", workspaceId, "--member", memberId);
        Assert.Equal("removed", removed.Json.GetProperty("status").GetString());
        Assert.All(new[] { created, added, role, minted, listed, revoked, plan, removed }, r => Assert.Equal("", r.StandardError));
    }

    [Theory]
    [InlineData(2, "workspaces", "create", "--name", "X", "--plan", "platinum", "--owner-email", "a@b.test")]
    [InlineData(2, "workspaces", "create", "--plan", "studio", "--owner-email", "a@b.test")]
    [InlineData(2, "workspaces", "create", "--name", "X", "--plan", "studio", "--owner-email", "not-an-email")]
    [InlineData(2, "workspaces", "create", "--name", "X", "--plan", "studio", "--owner-email", "a@b.test", "--currency", "EURO")]
    [InlineData(2, "members", "add", "--workspace", "not-a-guid", "--email", "a@b.test", "--name", "A", "--role", "member")]
    [InlineData(2, "tokens", "frobnicate")]
    [InlineData(1, "workspaces", "set-plan", "--workspace", "3f2c1a52-0000-4000-8000-000000000000", "--plan", "free")]
    [InlineData(1, "tokens", "revoke", "--prefix", "000000000000")]
    [InlineData(1, "tokens", "list", "--workspace", "3f2c1a52-0000-4000-8000-000000000000")]
    public async Task Bad_input_is_one_line_on_stderr_and_a_nonzero_exit(int exitCode, params string[] args)
    {
        var result = await Cli(args);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: ", lines[0]);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        // A parse error adds the usage hint; a refused value is the one line alone.
        Assert.InRange(lines.Length, 1, 2);
        if (lines.Length == 2)
        {
            Assert.Matches("^Run 'Hoursmith.Api( [a-z-]+)* --help' for usage.$", lines[^1]);
        }
    }

    [Theory]
    [InlineData("tokens", "tokns", "list")]
    [InlineData("workspaces", "workspace", "create", "--name", "X")]
    [InlineData("list", "tokens", "lst")]
    [InlineData("--workspace", "tokens", "list", "--wrkspace", "3f2c1a52-0000-4000-8000-000000000000")]
    public async Task A_mistyped_name_gets_the_librarys_did_you_mean(string suggestion, params string[] args)
    {
        var result = await Cli(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("error: Unrecognized command or argument", lines[0]);
        Assert.Contains(lines, l => l.Contains("Did you mean", StringComparison.Ordinal));
        Assert.Contains(suggestion, lines);
    }

    [Theory]
    [InlineData("--expires must be a date (YYYY-MM-DD), not 'soon'.", "tokens", "mint", "--workspace", "3f2c1a52-0000-4000-8000-000000000000",
        "--member", "3f2c1a52-0000-4000-8000-000000000000", "--name", "A", "--expires", "soon")]
    [InlineData("--workspace must be an id (a UUID, as workspaces list and members list print them), not 'acme'.", "tokens", "list", "--workspace", "acme")]
    [InlineData("--minutes must be a whole number, not 'ten'.", "members", "sign-in-link", "--workspace", "3f2c1a52-0000-4000-8000-000000000000",
        "--member", "3f2c1a52-0000-4000-8000-000000000000", "--minutes", "ten")]
    public async Task A_value_that_does_not_parse_is_named_in_the_CLI_s_words_never_a_dotnet_type(string expected, params string[] args)
    {
        var result = await Cli(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: " + expected, result.StandardError.Split('\n')[0].Trim());
        Assert.DoesNotContain("System.", result.StandardError);
    }

    [Theory]
    [InlineData("serve", "--help")]
    [InlineData("--help")]
    [InlineData("serve", "-h")]
    public async Task Help_is_printed_and_never_starts_a_server(params string[] args)
    {
        var result = await Cli(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.StandardOutput);
        Assert.DoesNotContain("Now listening", result.StandardOutput);
    }

    [Fact]
    public async Task A_server_whose_port_is_taken_says_so_in_one_line_and_exits_1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var result = await Cli("serve", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: the server could not start: Failed to bind to address http://127.0.0.1:{port}: address already in use. "
            + "Another process listens there: stop it, or choose another address with --urls.", line);
        Assert.DoesNotContain("Exception", result.StandardOutput);
    }

    [Fact]
    public async Task A_server_whose_database_cannot_be_opened_says_so_in_one_line_and_exits_1()
    {
        var environment = AppProcess.Environment("Data Source=/nonexistent-directory/hoursmith.db");
        environment["Database__Provider"] = "sqlite";

        var result = await AppProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], environment);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: the server could not start: SQLite Error 14: 'unable to open database file'", line);
        Assert.DoesNotContain("Exception", result.StandardOutput);
    }

    [Fact]
    public async Task An_owner_cannot_be_removed_and_the_last_owner_keeps_the_role()
    {
        var created = (await Cli("workspaces", "create", "--name", "Solo", "--plan", "studio", "--owner-email", "solo@acme.test")).Json;
        var workspaceId = created.GetProperty("workspaceId").GetString()!;
        var ownerId = created.GetProperty("ownerMemberId").GetString()!;

        Assert.Equal(1, (await Cli("members", "remove", "--workspace", workspaceId, "--member", ownerId)).ExitCode);
        Assert.Equal(1, (await Cli("members", "set-role", "--workspace", workspaceId, "--member", ownerId, "--role", "member")).ExitCode);
    }

    [Fact]
    public async Task Migrate_reports_what_it_applied_and_is_idempotent()
    {
        using var empty = new TempDatabase(migrated: false);
        var first = await AppProcess.RunCliAsync(empty.ConnectionString, "migrate");
        var second = await AppProcess.RunCliAsync(empty.ConnectionString, "migrate");

        Assert.Equal(0, first.ExitCode);
        Assert.NotEmpty(first.Json.GetProperty("applied").EnumerateArray());
        Assert.Empty(second.Json.GetProperty("applied").EnumerateArray());
        Assert.Equal(JsonValueKind.String, second.Json.GetProperty("provider").ValueKind);
    }
}
