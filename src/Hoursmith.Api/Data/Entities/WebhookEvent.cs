using Hoursmith.Api.Infrastructure;

namespace Hoursmith.Api.Data.Entities;

/// <summary>
/// One event in the outbox, written in the transaction of the change that caused it. <see cref="Body"/> is
/// the exact JSON every delivery of it sends (the same event id on every retry and replay).
/// </summary>
public sealed class WebhookEvent : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Type { get; set; }
    public bool Livemode { get; set; } = true;
    public DateTime CreatedAt { get; set; }

    /// <summary>The delivered JSON body, kept for retries, replays and debugging until pruned.</summary>
    public string Body { get; set; } = "";

    /// <summary>
    /// Until the save that writes it: makes <see cref="Body"/> from the changed rows as they are saved
    /// (WebhookOutbox), and the row whose change this event reports (no event if it is not saved).
    /// </summary>
    internal (Func<string> Body, object? Source)? Pending { get; set; }
}
