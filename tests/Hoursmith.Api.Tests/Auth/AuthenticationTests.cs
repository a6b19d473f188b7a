using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Auth;

/// <summary>Every cause of 401 from auth.md, each with the envelope and WWW-Authenticate: Bearer.</summary>
public class AuthenticationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private async Task<HttpResponseMessage> GetMeAsync(string? authorization)
    {
        using var client = factory.ClientWith(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await client.SendAsync(request);
    }

    private static async Task AssertUnauthenticatedAsync(HttpResponseMessage response, bool tokenPresented, string? messageContains = null)
    {
        var error = await response.AssertErrorAsync(401, "unauthenticated");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal(tokenPresented ? "error=\"invalid_token\"" : null, challenge.Parameter);
        if (messageContains is not null)
        {
            Assert.Contains(messageContains, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_valid_token_authenticates_and_the_scheme_name_is_case_insensitive()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;

        Assert.Equal(200, (int)(await GetMeAsync($"Bearer {token}")).StatusCode);
        Assert.Equal(200, (int)(await GetMeAsync($"bearer {token}")).StatusCode);
        Assert.Equal(200, (int)(await GetMeAsync($"BEARER {token}")).StatusCode);
    }

    [Fact]
    public async Task Missing_header_is_401_without_an_error_code_in_the_challenge()
    {
        await AssertUnauthenticatedAsync(await GetMeAsync(null), tokenPresented: false, "Missing Authorization");
    }

    [Fact]
    public async Task Another_scheme_is_401()
    {
        await AssertUnauthenticatedAsync(await GetMeAsync("Basic dXNlcjpwYXNz"), tokenPresented: false, "scheme");
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer hsk_test_4f8a2c1bdedf")]
    [InlineData("Bearer hsk_test_4F8A2C1BDEDF_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE")]
    [InlineData("Bearer hsk_test_4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE extra")]
    [InlineData("Bearer  hsk_test_4f8a2c1bdedf_9X3kQp7vT2nM5wRzL8sJyB6FhA1uC0gE")]
    public async Task Malformed_credentials_are_401(string header)
    {
        await AssertUnauthenticatedAsync(await GetMeAsync(header), tokenPresented: true);
    }

    [Fact]
    public async Task Unknown_prefix_and_wrong_secret_are_401_with_the_same_message()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        var unknownPrefix = "hsk_test_000000000000_" + token[^32..];
        var wrongSecret = token[..^32] + new string('A', 32);

        var unknown = await GetMeAsync($"Bearer {unknownPrefix}");
        var wrong = await GetMeAsync($"Bearer {wrongSecret}");

        await AssertUnauthenticatedAsync(unknown, tokenPresented: true, "Invalid token");
        await AssertUnauthenticatedAsync(wrong, tokenPresented: true, "Invalid token");
    }

    [Fact]
    public async Task Revoked_token_is_401()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId);
        await factory.WithAdminAsync(admin => admin.RevokeTokenAsync(minted.Record.Prefix));

        await AssertUnauthenticatedAsync(await GetMeAsync($"Bearer {minted.Token}"), tokenPresented: true, "revoked");
    }

    [Fact]
    public async Task Expired_token_is_401()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId, expires: DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.Equal(200, (int)(await GetMeAsync($"Bearer {minted.Token}")).StatusCode);

        // Expiry is data: move it into the past as time passing would.
        await factory.WithDbAsync(db => db.ApiTokens.Where(t => t.Id == minted.Record.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        await AssertUnauthenticatedAsync(await GetMeAsync($"Bearer {minted.Token}"), tokenPresented: true, "expired");
    }

    [Fact]
    public async Task Token_of_the_other_environment_is_401_naming_the_mismatch()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var live = await workspace.MintAsync(workspace.OwnerId, environment: TokenEnvironment.Live);

        await AssertUnauthenticatedAsync(await GetMeAsync($"Bearer {live.Token}"), tokenPresented: true,
            "This is a live token; this server accepts test tokens");
    }

    [Fact]
    public async Task Token_of_a_removed_member_is_401()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (memberId, token) = await workspace.TokenForRoleAsync(Role.Manager);
        Assert.Equal(200, (int)(await GetMeAsync($"Bearer {token}")).StatusCode);

        await factory.WithAdminAsync(admin => admin.RemoveMemberAsync(workspace.Id, memberId));

        await AssertUnauthenticatedAsync(await GetMeAsync($"Bearer {token}"), tokenPresented: true, "removed");
    }

    [Fact]
    public async Task Tokens_in_the_query_string_or_a_cookie_are_ignored()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        using var client = factory.ClientWith(null);

        await AssertUnauthenticatedAsync(await client.GetAsync($"/api/v1/me?access_token={token}"), tokenPresented: false);

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        withCookie.Headers.Add("Cookie", $"token={token}; Authorization=Bearer%20{token}");
        await AssertUnauthenticatedAsync(await client.SendAsync(withCookie), tokenPresented: false);
    }

    [Fact]
    public async Task No_response_ever_sets_a_cookie()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        using var client = factory.ClientWith(token);
        using var anonymous = factory.ClientWith(null);

        var responses = new[]
        {
            await client.GetAsync("/api/v1/me"),
            await client.GetAsync("/api/v1/tokens"),
            await client.GetAsync("/api/v1/nothing-here"),
            await anonymous.GetAsync("/api/v1/me"),
            await anonymous.GetAsync("/health"),
            await anonymous.GetAsync("/api/openapi.json"),
        };
        Assert.All(responses, r => Assert.False(r.Headers.Contains("Set-Cookie"), $"{r.RequestMessage!.RequestUri} set a cookie"));
    }

    [Fact]
    public async Task Last_used_is_recorded_when_a_token_authenticates()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId);
        Assert.Null(minted.Record.LastUsedAt);

        Assert.Equal(200, (int)(await GetMeAsync($"Bearer {minted.Token}")).StatusCode);

        var lastUsed = await factory.WithDbAsync(db => db.ApiTokens.Where(t => t.Id == minted.Record.Id).Select(t => t.LastUsedAt).SingleAsync());
        Assert.NotNull(lastUsed);
    }
}
