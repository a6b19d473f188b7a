using Hoursmith.Api.Infrastructure;

namespace Hoursmith.Api.Data.Entities;

public enum WebhookDeliveryStatus { Pending, Succeeded, Failed }

/// <summary>
/// One event on its way to one endpoint: attempts, the last response, when it is tried next, and the
/// lease of the worker that holds it (a crashed worker's lease runs out and another takes it over).
/// </summary>
public sealed class WebhookDelivery : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid EndpointId { get; set; }
    public Guid EventId { get; set; }
    public required string EventType { get; set; }
    public WebhookDeliveryStatus Status { get; set; } = WebhookDeliveryStatus.Pending;

    /// <summary>Attempts made so far (the first one included).</summary>
    public int Attempts { get; set; }

    /// <summary>When a worker may next claim it; null once it succeeded or failed for good.</summary>
    public DateTime? NextAttemptAt { get; set; }

    /// <summary>The claiming worker's lease: until then no other worker takes it.</summary>
    public DateTime? LeaseUntil { get; set; }
    public Guid? LeaseToken { get; set; }

    public DateTime? LastAttemptAt { get; set; }
    public int? LastResponseStatus { get; set; }
    public int? LastDurationMs { get; set; }
    public string? LastError { get; set; }

    /// <summary>The start of the last response body, capped (WebhookSender.SnippetChars).</summary>
    public string? LastResponseSnippet { get; set; }

    public DateTime? DeliveredAt { get; set; }

    /// <summary>The delivery this one replays, if any.</summary>
    public Guid? ReplayOf { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
