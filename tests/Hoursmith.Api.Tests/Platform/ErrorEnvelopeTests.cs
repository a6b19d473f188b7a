using System.Text;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>Every error class, from every layer, arrives in the one envelope with a request id.</summary>
public class ErrorEnvelopeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private async Task<(HttpClient Client, Guid TokenId)> OwnerClientAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId);
        return (workspace.Client(minted.Token), minted.Record.Id);
    }

    private static StringContent Body(string text, string mediaType = "application/json") => new StringContent(text, Encoding.UTF8, mediaType);

    [Theory]
    [InlineData("/api/v1/nope")]
    [InlineData("/api/v2/me")]
    [InlineData("/nothing")]
    [InlineData("/api/v1/tokens/not-a-guid")]
    public async Task Unknown_routes_are_404(string path)
    {
        var (client, _) = await OwnerClientAsync();
        await (await client.GetAsync(path)).AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task Unknown_routes_are_404_even_without_a_token()
    {
        await (await factory.ClientWith(null).GetAsync("/api/v1/nope")).AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task Wrong_method_is_405_with_Allow()
    {
        var (client, _) = await OwnerClientAsync();
        var response = await client.PostAsync("/api/v1/me", Body("{}"));

        await response.AssertErrorAsync(405, "method_not_allowed");
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("not json")]
    [InlineData("{\"name\": 42}")]
    [InlineData("[1,2]")]
    public async Task Malformed_json_or_wrong_types_are_400(string json)
    {
        var (client, tokenId) = await OwnerClientAsync();
        var response = await client.PatchAsync($"/api/v1/tokens/{tokenId}", Body(json));

        var error = await response.AssertErrorAsync(400, "bad_request");
        Assert.DoesNotContain("RenameTokenRequest", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_body_is_400()
    {
        var (client, tokenId) = await OwnerClientAsync();
        var response = await client.PatchAsync($"/api/v1/tokens/{tokenId}", Body("", "application/json"));
        await response.AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task A_non_json_body_is_415()
    {
        var (client, tokenId) = await OwnerClientAsync();
        var response = await client.PatchAsync($"/api/v1/tokens/{tokenId}", Body("name=x", "application/x-www-form-urlencoded"));
        await response.AssertErrorAsync(415, "unsupported_media_type");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_changes_nothing()
    {
        var (client, tokenId) = await OwnerClientAsync();
        var huge = "{\"name\":\"" + new string('x', 1024 * 1024 + 10) + "\"}";

        var response = await client.PatchAsync($"/api/v1/tokens/{tokenId}", Body(huge));

        await response.AssertErrorAsync(413, "payload_too_large");
        Assert.Equal("Test token", await factory.WithDbAsync(db => db.ApiTokens.Where(t => t.Id == tokenId).Select(t => t.Name).SingleAsync()));
    }

    [Fact]
    public async Task Client_request_ids_are_echoed_when_sane_and_replaced_otherwise()
    {
        using var client = factory.ClientWith(null);
        using var sane = new HttpRequestMessage(HttpMethod.Get, "/health");
        sane.Headers.Add("X-Request-Id", "zap-run_42.a:b");
        using var insane = new HttpRequestMessage(HttpMethod.Get, "/health");
        insane.Headers.TryAddWithoutValidation("X-Request-Id", "<script>" + new string('a', 200));

        Assert.Equal("zap-run_42.a:b", Assert.Single((await client.SendAsync(sane)).Headers.GetValues("X-Request-Id")));
        var replaced = Assert.Single((await client.SendAsync(insane)).Headers.GetValues("X-Request-Id"));
        Assert.DoesNotContain("script", replaced);
        Assert.Matches("^[0-9a-f]{32}$", replaced);
    }
}

/// <summary>An unexpected failure (here: the database losing a table) is a bare 500 with a request id.</summary>
public class UnexpectedErrorTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Unexpected_exceptions_are_500_without_internals()
    {
        var workspace = await _factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        await _factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Members\" RENAME TO \"MembersGone\""));

        var response = await workspace.Client(token).GetAsync("/api/v1/me");

        var error = await response.AssertErrorAsync(500, "internal");
        var text = await response.Content.ReadAsStringAsync();
        foreach (var leak in new[] { "SQLite", "Npgsql", "PostgreSQL", "SELECT", "Members", "Exception", " at ", "Hoursmith.Api.", token })
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }

        Assert.Contains(_factory.Logs.Entries, e => e.Contains("Unhandled exception", StringComparison.Ordinal) && e.Contains(error.GetProperty("requestId").GetString()!, StringComparison.Ordinal));
    }
}
