using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Auth;

/// <summary>
/// A token sent where none is needed (/health, the docs, an unknown path) is never looked up: a
/// bad one costs no database work there, so it cannot be used to load the database unthrottled.
/// </summary>
public class AnonymousRouteTokenTests(QuietApiFactory factory) : IClassFixture<QuietApiFactory>
{
    private static readonly string[] s_anonymousPaths = ["/health", "/api/openapi.json", "/api-docs", "/no-such-path", "/api/v1/no-such-collection"];

    [Fact]
    public async Task A_token_on_a_route_that_needs_none_costs_no_database_work()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId);
        var unknown = "hsk_test_000000000000_" + minted.Token[^32..];
        using var commands = await CountCommandsAsync();

        foreach (var path in s_anonymousPaths)
        {
            // Warm: the first request of a route may do one-time work.
            await SendAsync(path, null, commands);

            var (statusWithout, commandsWithout) = await SendAsync(path, null, commands);
            var (statusUnknown, commandsUnknown) = await SendAsync(path, unknown, commands);
            var (statusValid, commandsValid) = await SendAsync(path, minted.Token, commands);

            Assert.Equal(statusWithout, statusUnknown);
            Assert.Equal(statusWithout, statusValid);
            Assert.True(commandsWithout == commandsUnknown && commandsWithout == commandsValid,
                $"{path}: {commandsWithout} database commands without a token, {commandsUnknown} with an unknown one, {commandsValid} with a valid one");
        }

        // Not even the valid token was read: its last use is still unset.
        Assert.Null(await factory.WithDbAsync(db => db.ApiTokens.Where(t => t.Id == minted.Record.Id).Select(t => t.LastUsedAt).SingleAsync()));
    }

    [Fact]
    public async Task A_route_that_needs_a_token_looks_it_up()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        using var commands = await CountCommandsAsync();

        var (status, count) = await SendAsync("/api/v1/me", "hsk_test_000000000000_" + token[^32..], commands);

        Assert.Equal(401, status);
        Assert.True(count > 0, "the token lookup was not counted: the counter cannot see the database");
    }

    private async Task<DatabaseCommands> CountCommandsAsync()
    {
        var commands = new DatabaseCommands(factory.Database.Name);
        // EF Core caches "no one listens to commands" for up to a second; let that run out.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        return commands;
    }

    private async Task<(int Status, int Commands)> SendAsync(string path, string? token, DatabaseCommands commands)
    {
        using var client = factory.ClientWith(token);
        var before = commands.Count;
        var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode, commands.Count - before);
    }
}

/// <summary>The application without the webhook worker, whose polls would count as database commands of the requests measured.</summary>
public sealed class QuietApiFactory() : ApiFactory(new Dictionary<string, string?> { ["Webhooks:WorkerEnabled"] = "false" });
