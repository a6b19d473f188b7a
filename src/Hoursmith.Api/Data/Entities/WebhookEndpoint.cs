using Hoursmith.Api.Infrastructure;

namespace Hoursmith.Api.Data.Entities;

/// <summary>What an endpoint's deliveries say about it (the <c>status</c> field).</summary>
public enum WebhookEndpointStatus { Active, Failing }

/// <summary>
/// An HTTPS URL that receives the workspace's events of the types it subscribes to, signed with its
/// own secret. The secret is stored encrypted (it must be recoverable to sign); only its prefix is shown.
/// </summary>
public sealed class WebhookEndpoint : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Url { get; set; }
    public string? Description { get; set; }

    /// <summary>The subscribed event types, comma-separated with a leading and trailing comma (",task.created,invoice.paid,"), so one type is a LIKE away.</summary>
    public required string EventTypes { get; set; }

    /// <summary>Off: no new events are queued for it (deliveries already queued, tests and replays still go).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Set when a delivery exhausted its retries; cleared by the next successful delivery. A failing endpoint stays enabled.</summary>
    public bool Failing { get; set; }

    /// <summary>The signing secret, encrypted (AES-GCM, see WebhookSecrets).</summary>
    public required byte[] SecretCiphertext { get; set; }

    /// <summary>The secret's first characters (<c>wsk_</c> and 8 more): all that is ever shown again.</summary>
    public required string SecretPrefix { get; set; }

    public WebhookEndpointStatus Status => Failing ? WebhookEndpointStatus.Failing : WebhookEndpointStatus.Active;

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}
