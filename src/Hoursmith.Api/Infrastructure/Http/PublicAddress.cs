namespace Hoursmith.Api.Infrastructure.Http;

/// <summary>
/// The base URL that links the server hands out (sign-in links, the demo's curl line) are built on:
/// <c>Hoursmith:PublicUrl</c>, else the first address the server listens on. Never a request's <c>Host</c>.
/// </summary>
public static class PublicAddress
{
    public static string Resolve(string? publicBaseUrl, IEnumerable<string> serverAddresses)
    {
        if (!string.IsNullOrWhiteSpace(publicBaseUrl))
        {
            return publicBaseUrl.Trim().TrimEnd('/');
        }

        var first = serverAddresses.Select(a => a.Trim()).FirstOrDefault(a => a.Length > 0) ?? HoursmithServices.DefaultUrls;
        // "http://+:80", "http://*:80", "http://0.0.0.0:80" and "http://[::]:80" listen everywhere; a browser on this machine uses localhost.
        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
        {
            if (first.Contains(wildcard, StringComparison.Ordinal))
            {
                first = first.Replace(wildcard, "://localhost", StringComparison.Ordinal);
                break;
            }
        }

        return first.TrimEnd('/');
    }

    /// <summary>For a process that is not serving (the CLI): the addresses the server is configured to listen on.</summary>
    public static IEnumerable<string> Configured(IConfiguration configuration) =>
        (configuration[WebHostDefaults.ServerUrlsKey] ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? HoursmithServices.DefaultUrls)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
