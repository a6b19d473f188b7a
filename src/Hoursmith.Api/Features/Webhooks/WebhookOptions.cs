namespace Hoursmith.Api.Features.Webhooks;

/// <summary>The <c>Webhooks:*</c> settings.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Key that encrypts signing secrets at rest; empty: a random key kept in the database (ServerSecrets).</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// Whether endpoints may be on this machine or a private network. Off (the default in Production):
    /// <c>https://</c> only, and hosts that resolve to loopback, private, link-local or metadata addresses
    /// are refused, at creation and at every connect. On (the default elsewhere): plain <c>http://</c>
    /// is allowed to loopback hosts and no address is refused.
    /// </summary>
    public bool? AllowPrivateTargets { get; set; }

    /// <summary>Whether this process runs the delivery worker (every server instance does by default).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How long a claim holds a delivery; a crashed worker's claims are taken over after it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the worker looks for due deliveries when nothing woke it (another process's events, retries falling due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deliveries claimed (and sent at once) per round.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Events and their deliveries older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long one delivery attempt may take (webhooks.md: a 2xx within about 10 seconds).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
