using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hoursmith.Api.Tests.Web;

/// <summary>Settings → API in a real browser (headless chromium) against the real server process, by the names web.md fixes.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SettingsApiBrowserTests(BrowserFixture browser)
{
    private static ILocator Row(IPage page, string tokenName) => page.GetByRole(AriaRole.Row).Filter(new() { HasText = tokenName });

    [Fact]
    public async Task A_member_signs_in_creates_a_token_that_works_sees_it_once_and_revokes_it()
    {
        var (workspaceId, ownerId) = await browser.CreateWorkspaceAsync();
        var memberId = await browser.AddMemberAsync(workspaceId, "Mia Member");
        await browser.MintAsync(workspaceId, ownerId, "Owner's own script");
        var page = await browser.NewPageAsync();

        await BrowserFixture.SignInAsync(page, await browser.SignInLinkAsync(workspaceId, memberId));
        await Expect(page.GetByText("Mia Member")).ToBeVisibleAsync();
        await page.GetByLabel("Token name", new() { Exact = true }).FillAsync("Zapier");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token", Exact = true }).ClickAsync();

        var shown = page.GetByTestId("new-token");
        await Expect(shown).ToBeVisibleAsync();
        var token = await shown.InputValueAsync();
        Assert.Matches("^hsk_test_[0-9a-f]{12}_[0-9A-Za-z]{32}$", token);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("pre.command")).ToContainTextAsync($"{browser.Server.BaseAddress}/api/v1/me");
        Assert.Equal(200, await browser.MeStatusAsync(token));

        await page.ReloadAsync();
        await Expect(page.GetByTestId("new-token")).ToHaveCountAsync(0);
        Assert.DoesNotContain(token.Split('_')[3], await page.ContentAsync());
        // A Member sees their own tokens only, and no Member column.
        await Expect(Row(page, "Zapier")).ToHaveCountAsync(1);
        await Expect(Row(page, "Owner's own script")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Member", Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in link for a member" })).ToHaveCountAsync(0);

        await Row(page, "Zapier").GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke token", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("revoked");
        await Expect(Row(page, "Zapier")).ToContainTextAsync("revoked");
        Assert.Equal(401, await browser.MeStatusAsync(token));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await BrowserFixture.WaitForPageAsync(page, "**/sign-in");
        await page.GotoAsync($"{browser.Server.BaseAddress}/settings/api");
        Assert.EndsWith("/sign-in", page.Url);
    }

    [Fact]
    public async Task An_owner_sees_every_token_with_its_member_and_revokes_a_members_token()
    {
        var (workspaceId, ownerId) = await browser.CreateWorkspaceAsync();
        var memberId = await browser.AddMemberAsync(workspaceId, "Max Member");
        var memberToken = await browser.MintAsync(workspaceId, memberId, "Max's n8n flow");
        Assert.Equal(200, await browser.MeStatusAsync(memberToken));
        var page = await browser.NewPageAsync();

        await BrowserFixture.SignInAsync(page, await browser.SignInLinkAsync(workspaceId, ownerId));

        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Member", Exact = true })).ToBeVisibleAsync();
        await Expect(Row(page, "Max's n8n flow")).ToContainTextAsync("Max Member");
        await Row(page, "Max's n8n flow").GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke token", Exact = true }).ClickAsync();
        await Expect(Row(page, "Max's n8n flow")).ToContainTextAsync("revoked");
        Assert.Equal(401, await browser.MeStatusAsync(memberToken));

        // Onboarding: the Owner makes a sign-in link for the member, and it signs them in elsewhere.
        await page.GetByLabel("Member", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = (await page.Locator("#link-member option", new() { HasText = "Max Member" }).TextContentAsync())! });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create sign-in link", Exact = true }).ClickAsync();
        var link = await page.GetByTestId("new-sign-in-link").InputValueAsync();
        var teammate = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(teammate, link);
        await Expect(teammate.GetByText("Max Member")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_used_or_expired_link_is_refused()
    {
        var (workspaceId, ownerId) = await browser.CreateWorkspaceAsync();
        var link = await browser.SignInLinkAsync(workspaceId, ownerId);
        await BrowserFixture.SignInAsync(await browser.NewPageAsync(), link);

        var other = await browser.NewPageAsync();
        var used = await other.GotoAsync(link);
        Assert.Equal(410, used!.Status);
        await Expect(other.GetByText("already been used")).ToBeVisibleAsync();
        await Expect(other.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true })).ToHaveCountAsync(0);

        var expiring = await browser.SignInLinkAsync(workspaceId, ownerId);
        var opened = await browser.NewPageAsync();
        await opened.GotoAsync(expiring);
        await browser.ExpireLinksAsync(ownerId);
        // Pressed after the link expired: refused, and no session.
        await opened.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(opened.GetByText("has expired")).ToBeVisibleAsync();
        await opened.GotoAsync($"{browser.Server.BaseAddress}/settings/api");
        Assert.EndsWith("/sign-in", opened.Url);
    }

    [Fact]
    public async Task A_second_instance_and_a_restarted_server_accept_the_session()
    {
        var (workspaceId, ownerId) = await browser.CreateWorkspaceAsync();
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, await browser.SignInLinkAsync(workspaceId, ownerId));

        // Cookies are per host, not per port: the same browser presents its session to the other process.
        await using (var second = await browser.StartServerAsync())
        {
            await page.GotoAsync($"{second.BaseAddress}/settings/api");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings → API" })).ToBeVisibleAsync();
            // A form rendered by one instance is accepted by another (antiforgery keys are shared too).
            await page.GetByLabel("Token name", new() { Exact = true }).FillAsync("Made on the second instance");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create token", Exact = true }).ClickAsync();
            Assert.Equal(200, await browser.MeStatusAsync(await page.GetByTestId("new-token").InputValueAsync(), second.BaseAddress));
        }

        await using var restarted = await browser.StartServerAsync();
        await page.GotoAsync($"{restarted.BaseAddress}/settings/api");
        await Expect(Row(page, "Made on the second instance")).ToHaveCountAsync(1);
        Assert.EndsWith("/settings/api", page.Url);
    }

    [Fact]
    public async Task A_removed_members_next_page_load_goes_to_sign_in()
    {
        var (workspaceId, _) = await browser.CreateWorkspaceAsync();
        var memberId = await browser.AddMemberAsync(workspaceId, "Rita Removed");
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, await browser.SignInLinkAsync(workspaceId, memberId));

        Assert.Equal(0, (await browser.CliAsync("members", "remove", "--workspace", workspaceId, "--member", memberId)).ExitCode);
        await page.ReloadAsync();

        Assert.EndsWith("/sign-in", page.Url);
        await Expect(page.GetByText("You are not signed in")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_the_page_fits_and_every_control_is_reachable_by_keyboard()
    {
        var (workspaceId, ownerId) = await browser.CreateWorkspaceAsync();
        await browser.MintAsync(workspaceId, ownerId, "Phone check");
        var page = await browser.NewPageAsync(new ViewportSize { Width = 375, Height = 740 });
        await BrowserFixture.SignInAsync(page, await browser.SignInLinkAsync(workspaceId, ownerId));

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 375 px");
        // Times are shown in the browser's time zone; the exact UTC time is the tooltip.
        await Expect(Row(page, "Phone check").Locator("time").First).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("UTC$"));

        var focused = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            focused.Add(await page.EvaluateAsync<string>("(document.activeElement.id || document.activeElement.textContent || '').trim()"));
        }

        Assert.Contains("Sign out", focused);
        Assert.Contains("Revoke", focused);
        Assert.Contains("token-name", focused);
        Assert.Contains("expires-on", focused);
        Assert.Contains("Create token", focused);
    }
}
