using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Features.Webhooks;

public static class WebhookSetup
{
    /// <summary>What every process that changes data needs (the server and the CLI): the outbox and its save hooks.</summary>
    public static IServiceCollection AddWebhookOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<IInterceptor, WebhookOutboxSaveInterceptor>();
        services.AddSingleton<IInterceptor, WebhookOutboxCommitInterceptor>();
        return services;
    }

    /// <summary>The server's part: secrets, URL rules, the delivery client and worker.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookUrlPolicy>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // A redirect could lead anywhere (and past the address check of the first host); a proxy past all of it.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectCallback = sp.GetRequiredService<WebhookUrlPolicy>().ConnectAsync,
                ConnectTimeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout)
            // The client's own log lines name full URLs, which may carry a receiver's credentials.
            .RemoveAllLoggers();
        services.AddHostedService<WebhookWorker>();
        return services;
    }
}
