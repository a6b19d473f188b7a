using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Hoursmith.Api.Infrastructure.Observability;

/// <summary>The <c>Metrics:*</c> settings.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// Serves the Prometheus scrape endpoint <see cref="Path"/>. Off by default: the figures (routes, plans,
    /// refusals) are for the operator, not the public, so turning it on is a decision to expose them to
    /// whoever can reach the server's address (keep <c>/metrics</c> off the public proxy).
    /// </summary>
    public bool Enabled { get; set; }

    public const string Path = "/metrics";

    public static bool IsEnabledIn(IConfiguration configuration) => configuration.GetValue<bool>($"{Section}:{nameof(Enabled)}");
}

/// <summary>
/// OpenTelemetry, switched on by configuration only: metrics (ASP.NET Core's request duration by route and
/// status, HttpClient, the .NET runtime and <see cref="HoursmithMetrics"/>) for the Prometheus endpoint when
/// <c>Metrics:Enabled</c>, and traces and metrics over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set (with the other <c>OTEL_*</c> variables). With neither, nothing listens and nothing is collected.
/// </summary>
public static class ObservabilitySetup
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string DefaultServiceName = "hoursmith-api";

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section));
        services.AddSingleton<HoursmithMetrics>();

        var prometheus = MetricsOptions.IsEnabledIn(configuration);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        if (!prometheus && !otlp)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            telemetry.ConfigureResource(resource => resource.AddService(DefaultServiceName));
        }

        // Meters are listened to by name, process-wide: a process that hosts several servers (the test suite)
        // would mix their figures, and one host's shutdown would end another's metric. Only this host's meters
        // (and those of no host, such as the runtime's) are kept.
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var ours = provider.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => instrument.Meter.Scope is IMeterFactory scope && scope != ours ? MetricStreamConfiguration.Drop : null);
        });
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(HoursmithMetrics.MeterName);
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                // Probes and scrapes would be most of the spans and tell nothing.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperatorPath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary><c>/metrics</c> when <c>Metrics:Enabled</c>; anonymous, outside the API and its document.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (MetricsOptions.IsEnabledIn(configuration))
        {
            app.MapPrometheusScrapingEndpoint(MetricsOptions.Path).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    private static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(MetricsOptions.Path, StringComparison.OrdinalIgnoreCase);
}
