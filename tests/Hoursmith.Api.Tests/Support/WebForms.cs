using System.Net;
using System.Text.RegularExpressions;
using Hoursmith.Api.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Support;

/// <summary>The web pages driven over HTTP, as a browser without script would: cookies kept, forms posted with their antiforgery field.</summary>
public static partial class WebForms
{
    /// <summary>A client that keeps cookies and does not follow redirects (tests look at them).</summary>
    public static HttpClient CookieClient(ApiFactory factory, string baseAddress = "http://localhost") =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false, BaseAddress = new Uri(baseAddress) });

    /// <summary>A fresh one-time link's path for the member, made through the same code as the CLI.</summary>
    public static async Task<string> SignInPathAsync(ApiFactory factory, Guid workspaceId, Guid memberId, int minutes = 15)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var link = await scope.ServiceProvider.GetRequiredService<SignInLinks>().CreateAsync(workspaceId, memberId, minutes, createdBy: null);
        return $"/sign-in/{link.Code}";
    }

    /// <summary>Opens the link and presses "Sign in"; returns the POST's response.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string signInPath)
    {
        var page = await client.GetAsync(signInPath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await PostFormAsync(client, signInPath, await page.Content.ReadAsStringAsync(), []);
    }

    /// <summary>Posts a form with the antiforgery field taken from <paramref name="pageHtml"/>.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string pageHtml, IEnumerable<KeyValuePair<string, string>> fields) =>
        client.PostAsync(path, new FormUrlEncodedContent([new("__antiforgery", AntiforgeryField(pageHtml)), .. fields]));

    public static string AntiforgeryField(string html) =>
        AntiforgeryInput().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no antiforgery field on the page");

    [GeneratedRegex("name=\"__antiforgery\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
