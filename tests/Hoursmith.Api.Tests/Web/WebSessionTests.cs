using System.Net;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Web;

/// <summary>The web pages' sessions over HTTP (web.md): antiforgery, cookie flags, the API never accepting the cookie, the CSP, sign-in links.</summary>
public sealed class WebSessionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private async Task<(TestWorkspace Workspace, HttpClient Browser)> SignedInOwnerAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var browser = WebForms.CookieClient(factory);
        var signedIn = await WebForms.SignInAsync(browser, await WebForms.SignInPathAsync(factory, workspace.Id, workspace.OwnerId));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/settings/api", signedIn.Headers.Location?.OriginalString);
        return (workspace, browser);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_field_is_refused_and_changes_nothing()
    {
        var (workspace, browser) = await SignedInOwnerAsync();

        var response = await browser.PostAsync("/settings/api?handler=Create", new FormUrlEncodedContent([new("TokenName", "Forged")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.WorkspaceId == workspace.Id)));

        // The same form with its field works, so the refusal was the missing token.
        var page = await (await browser.GetAsync("/settings/api")).Content.ReadAsStringAsync();
        var created = await WebForms.PostFormAsync(browser, "/settings/api?handler=Create", page, [new("TokenName", "Real")]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.WorkspaceId == workspace.Id && t.Name == "Real")));
    }

    [Fact]
    public async Task A_sign_in_post_without_the_antiforgery_field_does_not_use_the_link()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var path = await WebForms.SignInPathAsync(factory, workspace.Id, workspace.OwnerId);
        var browser = WebForms.CookieClient(factory);
        await browser.GetAsync(path);

        var forged = await browser.PostAsync(path, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await WebForms.SignInAsync(browser, path)).StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_lax_and_never_authenticates_the_api()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var browser = WebForms.CookieClient(factory);
        var signedIn = await WebForms.SignInAsync(browser, await WebForms.SignInPathAsync(factory, workspace.Id, workspace.OwnerId));

        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hoursmith-session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        // A browser session cookie (no Expires); the ticket inside ends after 8 hours, sliding.
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings/api")).StatusCode);

        var me = await browser.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("unauthenticated", (await me.ReadJsonAsync()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/tokens")).StatusCode);
        Assert.False(me.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_pages_csp_allows_only_their_own_origin_and_they_load_nothing_from_elsewhere()
    {
        var (_, browser) = await SignedInOwnerAsync();

        foreach (var path in new[] { "/settings/api", "/sign-in", "/sign-in/unknown" })
        {
            var response = await browser.GetAsync(path);
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);
            Assert.Equal(["'self'"], directives["default-src"]);
            Assert.Equal(["'self'"], directives["script-src"]);
            Assert.Equal(["'self'"], directives["style-src"]);
            Assert.Equal(["'self'"], directives["form-action"]);
            Assert.Equal(["'none'"], directives["frame-ancestors"]);
            Assert.All(directives.Values.SelectMany(v => v), source => Assert.Matches("^('self'|'none'|data:)$", source));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.True(response.Headers.CacheControl?.NoStore, path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch("(src|href|action)=\"(https?:)?//", html);
            Assert.DoesNotContain("style=\"", html);
            Assert.DoesNotContain("<script>", html);
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/assets/site.css")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/assets/site.js")).StatusCode);
    }

    [Fact]
    public async Task Without_a_session_the_page_sends_the_browser_to_sign_in()
    {
        var response = await WebForms.CookieClient(factory).GetAsync("/settings/api");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-in", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Neither_a_sign_in_code_nor_a_new_token_reaches_the_logs()
    {
        var (_, browser) = await SignedInOwnerAsync();
        var workspace = await factory.CreateWorkspaceAsync();
        var path = await WebForms.SignInPathAsync(factory, workspace.Id, workspace.OwnerId);
        await WebForms.SignInAsync(WebForms.CookieClient(factory), path);
        var page = await (await browser.GetAsync("/settings/api")).Content.ReadAsStringAsync();
        await WebForms.PostFormAsync(browser, "/settings/api?handler=Create", page, [new("TokenName", "Logged?")]);
        var shownResponse = await browser.GetAsync("/settings/api");
        var shown = await shownResponse.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(shown, "hsk_test_[0-9a-f]{12}_[0-9A-Za-z]{32}").Value;
        Assert.NotEmpty(token);

        // Request lines are written in the background: the last request's line means every earlier one is there.
        var lastId = shownResponse.Headers.GetValues("X-Request-Id").Single();
        await factory.Logs.WaitForAsync(e => e.Contains(lastId, StringComparison.Ordinal) && e.Contains("responded", StringComparison.Ordinal));
        var entries = factory.Logs.Entries.ToList();
        Assert.Contains(entries, e => e.Contains("/sign-in/{code}", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains(path.Split('/')[^1], StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains(token.Split('_')[3], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_works_once_and_then_says_it_was_used()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var path = await WebForms.SignInPathAsync(factory, workspace.Id, workspace.OwnerId);
        var first = WebForms.CookieClient(factory);
        var second = WebForms.CookieClient(factory);
        // Both opened the link before either pressed the button.
        var firstPage = await (await first.GetAsync(path)).Content.ReadAsStringAsync();
        var secondPage = await (await second.GetAsync(path)).Content.ReadAsStringAsync();

        var results = await Task.WhenAll(
            WebForms.PostFormAsync(first, path, firstPage, []),
            WebForms.PostFormAsync(second, path, secondPage, []));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Redirect);
        var refused = Assert.Single(results, r => r.StatusCode != HttpStatusCode.Redirect);
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Contains("already been used", await refused.Content.ReadAsStringAsync());
        var reopened = await first.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, reopened.StatusCode);
        Assert.DoesNotContain(">Sign in</button>", await reopened.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_expired_or_unknown_link_is_refused_with_a_page_that_says_so()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var path = await WebForms.SignInPathAsync(factory, workspace.Id, workspace.OwnerId);
        await factory.WithDbAsync(db => db.SignInLinks.Where(l => l.WorkspaceId == workspace.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));
        var browser = WebForms.CookieClient(factory);

        var expired = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
        // A valid form field (from another link's page), so the refusal below is the link's.
        var fresh = await (await browser.GetAsync(await WebForms.SignInPathAsync(factory, workspace.Id, workspace.OwnerId))).Content.ReadAsStringAsync();
        var token = WebForms.AntiforgeryField(fresh);
        var pressed = await browser.PostAsync(path, new FormUrlEncodedContent([new("__antiforgery", token)]));
        Assert.Equal(HttpStatusCode.Gone, pressed.StatusCode);
        Assert.False(pressed.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("hoursmith-session=", StringComparison.Ordinal)));

        foreach (var unknown in new[] { "/sign-in/" + new string('A', 43), "/sign-in/short", "/sign-in/" + new string('~', 43) })
        {
            var response = await browser.GetAsync(unknown);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("not valid", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_removed_member_is_signed_out_on_the_next_page_load_and_a_role_change_shows_at_once()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var memberId = await workspace.AddMemberAsync(Role.Member);
        var browser = WebForms.CookieClient(factory);
        await WebForms.SignInAsync(browser, await WebForms.SignInPathAsync(factory, workspace.Id, memberId));
        Assert.Contains(">Member</span>", await (await browser.GetAsync("/settings/api")).Content.ReadAsStringAsync());

        await factory.WithAdminAsync(admin => admin.SetRoleAsync(workspace.Id, memberId, Role.Admin));
        var promoted = await (await browser.GetAsync("/settings/api")).Content.ReadAsStringAsync();
        Assert.Contains(">Admin</span>", promoted);
        Assert.Contains("Sign-in link for a member", promoted);

        await factory.WithAdminAsync(admin => admin.RemoveMemberAsync(workspace.Id, memberId));
        var after = await browser.GetAsync("/settings/api");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/sign-in", after.Headers.Location?.OriginalString);
        // The cookie was deleted too: coming back needs a new link.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/settings/api")).StatusCode);
    }

    [Fact]
    public async Task A_lapsed_plan_shows_the_notice_and_still_lets_members_mint()
    {
        var (workspace, browser) = await SignedInOwnerAsync();
        Assert.DoesNotContain("forbidden_plan", await (await browser.GetAsync("/settings/api")).Content.ReadAsStringAsync());

        await factory.WithAdminAsync(admin => admin.SetPlanAsync(workspace.Id, null, PlanStatus.Lapsed));
        var page = await (await browser.GetAsync("/settings/api")).Content.ReadAsStringAsync();

        Assert.Contains("402 forbidden_plan", page);
        Assert.Contains("Studio (lapsed)", page);
        Assert.Equal(HttpStatusCode.Redirect, (await WebForms.PostFormAsync(browser, "/settings/api?handler=Create", page, [new("TokenName", "While lapsed")])).StatusCode);
    }

    [Fact]
    public async Task Validation_errors_appear_next_to_the_field_and_nothing_is_minted()
    {
        var (workspace, browser) = await SignedInOwnerAsync();
        var page = await (await browser.GetAsync("/settings/api")).Content.ReadAsStringAsync();

        var empty = await WebForms.PostFormAsync(browser, "/settings/api?handler=Create", page, [new("TokenName", "  ")]);
        var tooLong = await WebForms.PostFormAsync(browser, "/settings/api?handler=Create", page, [new("TokenName", new string('x', 101))]);
        var past = await WebForms.PostFormAsync(browser, "/settings/api?handler=Create", page, [new("TokenName", "Old"), new("ExpiresOn", "2001-01-01")]);

        Assert.All(new[] { empty, tooLong, past }, r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Contains("id=\"token-name-error\"", await empty.Content.ReadAsStringAsync());
        Assert.Contains("at most 100 characters", await tooLong.Content.ReadAsStringAsync());
        Assert.Contains("id=\"expires-on-error\"", await past.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.WorkspaceId == workspace.Id)));
    }
}

/// <summary>With HTTPS required, the session cookie is Secure and host-only (<c>__Host-</c>).</summary>
public sealed class SecureSessionCookieTests(SecureSessionCookieTests.HttpsFactory factory) : IClassFixture<SecureSessionCookieTests.HttpsFactory>
{
    public sealed class HttpsFactory() : ApiFactory(new Dictionary<string, string?> { ["Hoursmith:RequireHttps"] = "true" });

    [Fact]
    public async Task Over_https_the_cookies_are_secure_and_host_only()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var browser = WebForms.CookieClient(factory, "https://localhost");
        var path = await WebForms.SignInPathAsync(factory, workspace.Id, workspace.OwnerId);
        var page = await browser.GetAsync(path);
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("__Host-hoursmith-antiforgery=", antiforgery, StringComparison.Ordinal);
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        var signedIn = await WebForms.PostFormAsync(browser, path, await page.Content.ReadAsStringAsync(), []);

        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-hoursmith-session=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", session, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Sign-in attempts spend the client IP's budget (the API's unauthenticated one, in a bucket of its own).</summary>
public sealed class SignInRateLimitTests(SignInRateLimitTests.LimitedFactory factory) : IClassFixture<SignInRateLimitTests.LimitedFactory>
{
    public sealed class LimitedFactory() : ApiFactory(new Dictionary<string, string?>
    {
        ["RateLimits:Enabled"] = "true",
        ["RateLimits:Unauthenticated:Limit"] = "5",
        ["RateLimits:Unauthenticated:Period"] = "00:10:00",
    });

    [Fact]
    public async Task Guessing_codes_is_cut_off_with_429_and_retry_after()
    {
        var browser = WebForms.CookieClient(factory);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            statuses.Add((await browser.GetAsync($"/sign-in/{Guid.NewGuid():N}{Guid.NewGuid():N}"[..54])).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.BadRequest, 5), statuses.Take(5));
        var refused = await browser.GetAsync($"/sign-in/{new string('B', 43)}");
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync());
        // The API's own unauthenticated budget is a different bucket.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
    }
}
