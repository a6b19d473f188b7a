using Hoursmith.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Infrastructure.Http;

/// <summary>
/// ASP.NET Core's host filtering (<c>AllowedHosts</c>), moved inside our pipeline so a refused
/// <c>Host</c> gets the error envelope, the request id and the security headers instead of the
/// framework's bare HTML 400. Default when <c>AllowedHosts</c> is not configured: <c>*</c> in
/// Development; otherwise the host of <c>Hoursmith:PublicUrl</c>, or <c>*</c> with a startup warning.
/// </summary>
public static partial class AllowedHosts
{
    public const string ConfigurationKey = "AllowedHosts";

    private const string PassedKey = "Hoursmith.AllowedHosts.Passed";

    public static IServiceCollection AddAllowedHosts(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // The web host's defaults run the filter first of all, before our request id and envelope; it runs in UseAllowedHosts instead.
        foreach (var framework in services.Where(d => d.ServiceType == typeof(IStartupFilter) && d.ImplementationType?.Name == "HostFilteringStartupFilter").ToList())
        {
            services.Remove(framework);
        }

        services.AddOptions<HostFilteringOptions>().Configure<IOptions<HoursmithOptions>>((filtering, hoursmith) =>
        {
            filtering.AllowedHosts = Resolve(configuration[ConfigurationKey], environment, hoursmith.Value.PublicUrl);
            // We write the refusal ourselves, in the envelope.
            filtering.IncludeFailureMessage = false;
        });
        return services;
    }

    public static IApplicationBuilder UseAllowedHosts(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        var hosts = services.GetRequiredService<IOptionsMonitor<HostFilteringOptions>>().CurrentValue.AllowedHosts;
        if (!services.GetRequiredService<IHostEnvironment>().IsDevelopment()
            && hosts is ["*"]
            && string.IsNullOrWhiteSpace(services.GetRequiredService<IConfiguration>()[ConfigurationKey]))
        {
            LogAnyHost(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AllowedHosts)));
        }

        return app.Use(next =>
        {
            // The framework's middleware decides (wildcards, IDN, ports, IPv6); it calls this only for an allowed host.
            var filter = ActivatorUtilities.CreateInstance<HostFilteringMiddleware>(services, new RequestDelegate(context =>
            {
                context.Items[PassedKey] = true;
                return next(context);
            }));
            return async context =>
            {
                // Load balancers probe instances by address, not by the public name.
                if (TransportSecurity.IsHealthProbe(context.Request.Path))
                {
                    await next(context);
                    return;
                }

                await filter.Invoke(context);
                if (!context.Items.ContainsKey(PassedKey))
                {
                    await ErrorWriter.WriteAsync(context, StatusCodes.Status400BadRequest,
                        "This server does not answer for the host named in the Host header.");
                }
            };
        });
    }

    /// <summary>The configured list (<c>;</c>-separated), else the environment's default.</summary>
    internal static List<string> Resolve(string? configured, IHostEnvironment environment, string? publicUrl)
    {
        var hosts = (configured ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (hosts.Length > 0)
        {
            return [.. hosts];
        }

        if (!environment.IsDevelopment() && HoursmithOptions.IsValidPublicUrl(publicUrl) && !string.IsNullOrWhiteSpace(publicUrl))
        {
            return [new Uri(publicUrl.Trim()).Host];
        }

        return ["*"];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Neither AllowedHosts nor Hoursmith:PublicUrl is set: this server answers for any Host header. Set one of them in production.")]
    private static partial void LogAnyHost(ILogger logger);
}
