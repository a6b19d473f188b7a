namespace Hoursmith.Api.Infrastructure.Redis;

/// <summary>The <c>Redis:*</c> settings of operations.md. No configuration: one instance, state in process.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string (<c>host:port[,password=…]</c>); empty turns Redis off.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prepended to every key, so several deployments (or test runs) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "hoursmith:";

    /// <summary>How long a request waits for Redis before it carries on without it.</summary>
    public int TimeoutMilliseconds { get; set; } = 250;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);

    public static bool IsConfiguredIn(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(Configuration)}"]);
}
