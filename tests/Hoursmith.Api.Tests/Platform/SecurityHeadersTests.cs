using System.Text;
using System.Text.RegularExpressions;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The security headers on every class of response: successes, each error layer (routing, auth,
/// binding, the exception handler), the health probe, the OpenAPI document and the docs page.
/// </summary>
public partial class SecurityHeadersTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private async Task<(string Token, Guid TokenId)> OwnerTokenAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var minted = await workspace.MintAsync(workspace.OwnerId);
        return (minted.Token, minted.Record.Id);
    }

    /// <summary>One request of each class the API answers under /api/v1, with its status.</summary>
    private async Task<List<(string What, int Status, HttpResponseMessage Response)>> ApiResponsesAsync()
    {
        var (token, tokenId) = await OwnerTokenAsync();
        using var owner = factory.ClientWith(token);
        using var anonymous = factory.ClientWith(null);
        return
        [
            ("200 /me", 200, await owner.GetAsync("/api/v1/me")),
            ("401 no token", 401, await anonymous.GetAsync("/api/v1/me")),
            ("404 unknown route", 404, await owner.GetAsync("/api/v1/nope")),
            ("405 wrong method", 405, await owner.PostAsync("/api/v1/me", Json("{}"))),
            ("400 bad JSON (exception handler)", 400, await owner.PatchAsync($"/api/v1/tokens/{tokenId}", Json("{\"name\": "))),
            ("415 not JSON", 415, await owner.PatchAsync($"/api/v1/tokens/{tokenId}", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"))),
            ("422 invalid", 422, await owner.PatchAsync($"/api/v1/tokens/{tokenId}", Json("{\"name\": \"\"}"))),
        ];
    }

    [Fact]
    public async Task Every_api_response_is_nosniff_and_no_store()
    {
        foreach (var (what, status, response) in await ApiResponsesAsync())
        {
            Assert.True(status == (int)response.StatusCode, $"{what}: {(int)response.StatusCode}");
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) && nosniff.Single() == "nosniff", what);
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control {response.Headers.CacheControl}");
            // JSON is not framed or rendered: the page policy is for HTML.
            Assert.False(response.Headers.Contains("Content-Security-Policy"), what);
        }
    }

    [Theory]
    [InlineData("/mcp")]
    [InlineData("/mcp/anything")]
    [InlineData("/API/V1/me")]
    public async Task Mcp_and_any_spelling_of_the_api_path_are_no_store(string path)
    {
        var response = await factory.ClientWith(null).GetAsync(path);

        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path}: {(int)response.StatusCode} Cache-Control {response.Headers.CacheControl}");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("/health", 200)]
    [InlineData("/api/openapi.json", 200)]
    [InlineData("/api-docs/", 200)]
    [InlineData("/api-docs/scalar.js", 200)]
    [InlineData("/api-docs", 302)]
    [InlineData("/nothing", 404)]
    [InlineData("/api/v2/me", 404)]
    public async Task Every_response_outside_the_api_is_nosniff(string path, int status)
    {
        var response = await factory.ClientWith(null).GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        // Plain HTTP, and HTTPS is not required here: never HSTS.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_docs_page_has_a_same_origin_csp_whose_nonce_is_on_every_script()
    {
        var response = await factory.ClientWith(null).GetAsync("/api-docs/");

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'self'"], directives["connect-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        // Every source any directive allows is this origin, the nonce, or inline data the page makes itself.
        Assert.All(directives.Values.SelectMany(v => v), source =>
            Assert.Matches("^('self'|'none'|'unsafe-inline'|'nonce-[A-Za-z0-9_-]+'|data:)$", source));
        Assert.DoesNotContain("'unsafe-inline'", directives["script-src"]);
        Assert.DoesNotContain("'unsafe-eval'", csp);

        var nonce = Assert.Single(directives["script-src"], s => s.StartsWith("'nonce-", StringComparison.Ordinal))[7..^1];
        var page = await response.Content.ReadAsStringAsync();
        var scripts = ScriptTag().Matches(page);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, script => Assert.Contains($"nonce=\"{nonce}\"", script.Value));
        // Nothing the page names comes from another origin (scalar.js is the package's embedded copy).
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", page);
        Assert.Equal(200, (int)(await factory.ClientWith(null).GetAsync("/api-docs/scalar.js")).StatusCode);
    }

    [Fact]
    public async Task Each_docs_response_gets_a_fresh_nonce()
    {
        using var client = factory.ClientWith(null);
        var first = Assert.Single((await client.GetAsync("/api-docs/")).Headers.GetValues("Content-Security-Policy"));
        var second = Assert.Single((await client.GetAsync("/api-docs/")).Headers.GetValues("Content-Security-Policy"));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task The_docs_redirect_and_assets_are_not_frameable_either()
    {
        foreach (var path in new[] { "/api-docs", "/api-docs/scalar.js", "/api-docs/nope/deeper" })
        {
            var response = await factory.ClientWith(null).GetAsync(path);
            Assert.True(response.Headers.Contains("Content-Security-Policy"), $"{path}: {(int)response.StatusCode}");
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        }
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}

/// <summary>A response written by the exception handler after an unexpected failure still carries the headers.</summary>
public class SecurityHeadersOnUnexpectedErrorsTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_500_is_nosniff_and_no_store()
    {
        var workspace = await _factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        await _factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Members\" RENAME TO \"MembersGone\""));

        var response = await workspace.Client(token).GetAsync("/api/v1/me");

        await response.AssertErrorAsync(500, "internal");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"Cache-Control {response.Headers.CacheControl}");
    }
}
