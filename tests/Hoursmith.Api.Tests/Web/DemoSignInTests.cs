using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Web;

/// <summary>On a fresh checkout the demo run prints a sign-in link for the demo Owner beside the token, and it leads to Settings → API.</summary>
public sealed partial class DemoSignInTests
{
    [Fact]
    public async Task The_demo_run_prints_an_owner_sign_in_link_that_opens_settings_api_once()
    {
        using var database = new TempDatabase();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Hoursmith"] = database.ConnectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        TestRedis.AddTo(environment);
        await using var server = await ServerProcess.StartAsync(environment);
        var deadline = Stopwatch.StartNew();
        while (!SignInLink().IsMatch(server.Output) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        var link = SignInLink().Match(server.Output);
        Assert.True(link.Success, server.Output);
        Assert.Equal(server.BaseAddress, link.Groups[1].Value);

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = new Uri(server.BaseAddress) };
        var path = new Uri(link.Value).AbsolutePath;
        var signedIn = await WebForms.SignInAsync(browser, path);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var page = await (await browser.GetAsync("/settings/api")).Content.ReadAsStringAsync();
        Assert.Contains("Demo Studio", page);
        Assert.Contains("Olivia Owner", page);
        Assert.Contains("Demo token", page);
        Assert.Equal(HttpStatusCode.Gone, (await new HttpClient { BaseAddress = new Uri(server.BaseAddress) }.GetAsync(path)).StatusCode);
    }

    [GeneratedRegex(@"(http://127\.0\.0\.1:\d+)/sign-in/[A-Za-z0-9_-]{43}")]
    private static partial Regex SignInLink();
}
