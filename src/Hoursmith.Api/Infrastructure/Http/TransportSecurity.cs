using System.Net;
using System.Net.Sockets;
using Hoursmith.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Hoursmith.Api.Infrastructure.Http;

/// <summary>
/// Transport rules that run before routing: forwarded headers only from trusted proxies, the
/// HTTPS requirement (refuse, never redirect: a redirect would make clients resend the token in
/// the clear), and the request body size limit.
/// </summary>
public static partial class TransportSecurity
{
    public static IServiceCollection AddTransportSecurity(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HoursmithOptions>>((forwarded, hoursmith) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies (the framework would also trust loopback by default).
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list is still consulted; empty it too
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in hoursmith.Value.TrustedProxies)
            {
                forwarded.KnownIPNetworks.Add(ParseNetwork(proxy));
            }
        });
        return services;
    }

    public static IApplicationBuilder UseTransportSecurity(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<HoursmithOptions>>().Value;
        // With no known proxies the middleware would believe every peer, so it runs only when some are configured.
        if (options.TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        if (options.RequireHttps)
        {
            WarnWhenNothingCanBeHttps(app.ApplicationServices, options);
            app.Use(static (context, next) =>
                context.Request.IsHttps || IsHealthProbe(context.Request.Path)
                    ? next(context)
                    : ErrorWriter.WriteAsync(context, StatusCodes.Status400BadRequest,
                        "HTTPS is required. This server does not redirect plain HTTP; send the request to the https:// address."));
        }

        var limit = options.MaxRequestBodyBytes;
        app.Use((context, next) =>
        {
            if (context.Request.ContentLength > limit)
            {
                return ErrorWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {limit} bytes.");
            }

            // Chunked bodies are cut off by the server at the same limit (answered as 413 by the exception handler).
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            {
                sizeFeature.MaxRequestBodySize = limit;
            }

            return next(context);
        });
        return app;
    }

    /// <summary>
    /// With HTTPS required, no https:// address and no trusted proxy, every request but /health is refused:
    /// say so once at start instead of leaving the operator to find it from a 400.
    /// </summary>
    private static void WarnWhenNothingCanBeHttps(IServiceProvider services, HoursmithOptions options)
    {
        if (options.TrustedProxies.Length > 0)
        {
            return;
        }

        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
        {
            var addresses = services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
            if (addresses.Count > 0 && !addresses.Any(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            {
                LogNoHttps(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TransportSecurity)), string.Join(", ", addresses));
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTPS is required (Hoursmith:RequireHttps) but this server listens on plain HTTP only ({Addresses}) and trusts no TLS proxy: every request except /health will be refused with 400. Listen on an https:// URL, or run behind a TLS proxy and list it in Hoursmith:TrustedProxies (README, \"Running behind a TLS proxy\"); Hoursmith:RequireHttps=false turns the rule off.")]
    private static partial void LogNoHttps(ILogger logger, string addresses);

    /// <summary>"10.0.0.0/8" or a single address ("127.0.0.1").</summary>
    internal static IPNetwork ParseNetwork(string value)
    {
        if (value.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.Parse(value);
        }

        var address = IPAddress.Parse(value);
        return new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    // Load balancers probe health over plain HTTP inside the private network.
    internal static bool IsHealthProbe(PathString path) => path.Equals("/health", StringComparison.OrdinalIgnoreCase);
}
