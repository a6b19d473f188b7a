using System.Net.Http.Headers;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Hoursmith.Api.Tests.Web;

/// <summary>
/// One headless Debian chromium (driven by Playwright, launched by its path: no browser download) and
/// one real server process on a database of its own, shared by the browser tests; each test makes its
/// own workspace and browser context, so tests share no rows and no cookies. Workspaces, members and
/// sign-in links come from the CLI, as the operator makes them.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public TempDatabase Database { get; } = new();

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        Server = await StartServerAsync();
    }

    /// <summary>Another server process on the same database (a second instance, or the same server restarted).</summary>
    public Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(ServerProcess.ProductionEnvironment(Database.ConnectionString));

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        Database.Dispose();
    }

    /// <summary>A fresh browser context: no cookies, a desktop-sized window (or <paramref name="viewport"/>).</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    public Task<ProcessResult> CliAsync(params string[] args) => AppProcess.RunAsync(args,
        new Dictionary<string, string>(AppProcess.Environment(Database.ConnectionString)) { ["Hoursmith__PublicUrl"] = Server.BaseAddress });

    /// <summary>A Studio workspace with its Owner, made with <c>workspaces create</c>.</summary>
    public async Task<(string WorkspaceId, string OwnerId)> CreateWorkspaceAsync()
    {
        var name = $"Browser {Guid.NewGuid():N}"[..16];
        var created = await CliAsync("workspaces", "create", "--name", name, "--plan", "studio", "--owner-email", $"owner-{Guid.NewGuid():N}@example.com", "--owner-name", "Olga Owner");
        Assert.Equal(0, created.ExitCode);
        return (created.Json.GetProperty("workspaceId").GetString()!, created.Json.GetProperty("ownerMemberId").GetString()!);
    }

    public async Task<string> AddMemberAsync(string workspaceId, string name, string role = "member")
    {
        var added = await CliAsync("members", "add", "--workspace", workspaceId, "--email", $"{Guid.NewGuid():N}@example.com", "--name", name, "--role", role);
        return added.Json.GetProperty("memberId").GetString()!;
    }

    public async Task<string> MintAsync(string workspaceId, string memberId, string name) =>
        (await CliAsync("tokens", "mint", "--workspace", workspaceId, "--member", memberId, "--name", name)).Json.GetProperty("token").GetString()!;

    /// <summary>A one-time link printed by <c>members sign-in-link</c>.</summary>
    public async Task<string> SignInLinkAsync(string workspaceId, string memberId)
    {
        var link = await CliAsync("members", "sign-in-link", "--workspace", workspaceId, "--member", memberId);
        Assert.Equal(0, link.ExitCode);
        return link.Json.GetProperty("url").GetString()!;
    }

    /// <summary>Opens the link and presses "Sign in"; the browser lands on Settings → API.</summary>
    public static async Task SignInAsync(IPage page, string link)
    {
        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await WaitForPageAsync(page, "**/settings/api");
    }

    /// <summary>
    /// Waits for the browser to land on <paramref name="url"/> (a glob): until the navigation commits,
    /// not its load event (the assertions that follow wait for what they read). Under a full suite's
    /// load, a wait for the load event after a form's redirect timed out with the page on the right
    /// address and fully drawn. If it does not land, says where it is and what that page shows.
    /// </summary>
    public static async Task WaitForPageAsync(IPage page, string url)
    {
        try
        {
            await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException timeout)
        {
            string shown;
            try
            {
                shown = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            }
            catch (Exception unreadable) when (unreadable is PlaywrightException or TimeoutException)
            {
                shown = "(unreadable)";
            }

            throw new TimeoutException($"Expected {url}; the browser is on {page.Url}, showing: {shown[..Math.Min(shown.Length, 500)]}", timeout);
        }
    }

    /// <summary>The status of <c>GET /api/v1/me</c> with <paramref name="token"/>.</summary>
    public async Task<int> MeStatusAsync(string token, string? baseAddress = null)
    {
        using var client = new HttpClient { BaseAddress = new Uri(baseAddress ?? Server.BaseAddress) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (int)(await client.GetAsync("/api/v1/me")).StatusCode;
    }

    /// <summary>Lets every unused link of the member expire now.</summary>
    public async Task ExpireLinksAsync(string memberId)
    {
        await using var db = Database.OpenContext();
        var member = Guid.Parse(memberId);
        await db.SignInLinks.Where(l => l.MemberId == member && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
