using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Infrastructure;

/// <summary>The <c>Hoursmith:*</c> configuration keys of operations.md.</summary>
public sealed class HoursmithOptions
{
    public const string Section = "Hoursmith";

    /// <summary>Tokens this server mints and accepts: <c>test</c> in Development, <c>live</c> otherwise.</summary>
    public TokenEnvironment TokenEnvironment { get; set; }

    /// <summary>Refuse (never redirect) plain-HTTP requests. Off in Development.</summary>
    public bool RequireHttps { get; set; }

    /// <summary>Create the demo workspace on an empty database. On in Development.</summary>
    public bool SeedDemo { get; set; }

    /// <summary>Proxies (IP or CIDR) whose <c>X-Forwarded-Proto</c>/<c>-For</c> are believed. Empty: none.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Signs list cursors when set. Empty: a random key generated once and kept in the database.</summary>
    public string? CursorSecret { get; set; }

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The server's public base URL (<c>https://time.example.com</c>) for the OpenAPI <c>servers</c> list and
    /// links. Empty: none (the document says <c>/</c>). Never derived from a request's <c>Host</c> header.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary><see cref="PublicUrl"/> without a trailing slash, or null when it is not set.</summary>
    public string? PublicBaseUrl => string.IsNullOrWhiteSpace(PublicUrl) ? null : PublicUrl.Trim().TrimEnd('/');

    /// <summary>An absolute http(s) URL with a host and nothing a base URL cannot carry (user info, query, fragment).</summary>
    internal static bool IsValidPublicUrl(string? value) =>
        string.IsNullOrWhiteSpace(value)
        || (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.Host.Length > 0
            && uri.UserInfo.Length == 0
            && uri.Query.Length == 0
            && uri.Fragment.Length == 0);

    /// <summary>Defaults that depend on the environment, before configuration overrides them.</summary>
    public static void ApplyDefaults(HoursmithOptions options, IHostEnvironment environment)
    {
        var development = environment.IsDevelopment();
        options.TokenEnvironment = development ? TokenEnvironment.Test : TokenEnvironment.Live;
        options.RequireHttps = !development;
        options.SeedDemo = development;
    }
}

public static class HoursmithOptionsExtensions
{
    public static IServiceCollection AddHoursmithOptions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<HoursmithOptions>()
            .Configure(o => HoursmithOptions.ApplyDefaults(o, environment))
            .Bind(configuration.GetSection(HoursmithOptions.Section))
            .Validate(o => HoursmithOptions.IsValidPublicUrl(o.PublicUrl),
                "Hoursmith:PublicUrl must be an absolute http:// or https:// URL such as https://time.example.com (no query or fragment).")
            .ValidateOnStart();
        return services;
    }
}
