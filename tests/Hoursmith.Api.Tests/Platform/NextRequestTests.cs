using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// Changes made by the CLI — another process on the same database — are honoured by the running
/// server on its very next request.
/// </summary>
public class NextRequestTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private Task<ProcessResult> Cli(params string[] args) => AppProcess.RunCliAsync(factory.ConnectionString, args);

    private static async Task<int> StatusOfMeAsync(HttpClient client) => (int)(await client.GetAsync("/api/v1/me")).StatusCode;

    [Fact]
    public async Task Revoking_through_the_cli_stops_the_token_at_once()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId);
        using var client = workspace.Client(minted.Token);
        Assert.Equal(200, await StatusOfMeAsync(client));

        Assert.Equal(0, (await Cli("tokens", "revoke", "--prefix", minted.Record.Prefix)).ExitCode);

        Assert.Equal(401, await StatusOfMeAsync(client));
    }

    [Fact]
    public async Task Removing_a_member_through_the_cli_stops_all_their_tokens()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var memberId = await workspace.AddMemberAsync(Role.Member);
        using var first = workspace.Client((await workspace.MintAsync(memberId, "One")).Token);
        using var second = workspace.Client((await workspace.MintAsync(memberId, "Two")).Token);
        Assert.Equal(200, await StatusOfMeAsync(first));
        Assert.Equal(200, await StatusOfMeAsync(second));

        Assert.Equal(0, (await Cli("members", "remove", "--workspace", workspace.Id.ToString(), "--member", memberId.ToString())).ExitCode);

        Assert.Equal(401, await StatusOfMeAsync(first));
        Assert.Equal(401, await StatusOfMeAsync(second));
    }

    [Fact]
    public async Task A_role_changed_through_the_cli_applies_to_the_next_request()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (memberId, token) = await workspace.TokenForRoleAsync(Role.Member);
        using var client = workspace.Client(token);
        Assert.Equal("MEMBER", (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data").GetProperty("role").GetString());

        Assert.Equal(0, (await Cli("members", "set-role", "--workspace", workspace.Id.ToString(), "--member", memberId.ToString(), "--role", "admin")).ExitCode);

        Assert.Equal("ADMIN", (await (await client.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Plan_changes_through_the_cli_apply_to_the_next_request()
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Studio);
        using var client = workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);
        var id = workspace.Id.ToString();
        Assert.Equal(200, await StatusOfMeAsync(client));

        Assert.Equal(0, (await Cli("workspaces", "set-plan", "--workspace", id, "--status", "lapsed")).ExitCode);
        Assert.Equal(402, await StatusOfMeAsync(client));

        Assert.Equal(0, (await Cli("workspaces", "set-plan", "--workspace", id, "--status", "active")).ExitCode);
        Assert.Equal(200, await StatusOfMeAsync(client));

        Assert.Equal(0, (await Cli("workspaces", "set-plan", "--workspace", id, "--plan", "free")).ExitCode);
        Assert.Equal(402, await StatusOfMeAsync(client));
    }
}
