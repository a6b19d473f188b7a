using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hoursmith.Api.Infrastructure.Redis;

public static class RedisSetup
{
    /// <summary>One connection to Redis when <c>Redis:Configuration</c> is set; nothing otherwise.</summary>
    public static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section))
            .Validate(o => o.TimeoutMilliseconds >= 1, "Redis:TimeoutMilliseconds must be at least 1.")
            .Validate(o => !o.IsConfigured || Parses(o.Configuration!), "Redis:Configuration is not a valid StackExchange.Redis configuration string.")
            .ValidateOnStart();
        if (!RedisOptions.IsConfiguredIn(configuration))
        {
            return services;
        }

        services.TryAddSingleton<IConnectionMultiplexer>(sp => Connect(sp.GetRequiredService<IOptions<RedisOptions>>().Value));
        services.TryAddSingleton<RedisConnection>();
        return services;
    }

    internal static ConnectionMultiplexer Connect(RedisOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        // Start, and keep serving, while Redis is down: the multiplexer connects in the background.
        configuration.AbortOnConnectFail = false;
        // While disconnected a command fails at once instead of queueing until its timeout.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.AsyncTimeout = options.TimeoutMilliseconds;
        // Reconnect soon after Redis returns: attempts back off from 0.5 s to one every 2 s.
        configuration.ReconnectRetryPolicy = new ExponentialRetry(500, 2000);
        configuration.ClientName ??= "hoursmith";
        return ConnectionMultiplexer.Connect(configuration);
    }

    private static bool Parses(string configuration)
    {
        try
        {
            ConfigurationOptions.Parse(configuration);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
