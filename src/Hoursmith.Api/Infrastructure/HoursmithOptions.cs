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
            .Bind(configuration.GetSection(HoursmithOptions.Section));
        return services;
    }
}
