using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.OpenApi;

namespace Hoursmith.Api.Features.Webhooks;

/// <summary>An endpoint's writable fields. On PATCH, omitted fields stay as they are.</summary>
/// <param name="Url">Where events are POSTed: https:// (plain http:// only to this machine, outside Production); no user info or fragment.</param>
/// <param name="Events">The event types to receive, each chosen explicitly (no wildcards): invoice.sent, invoice.paid, invoice.payment_failed, time_entry.created, task.completed, task.created, client.created, project.created.</param>
/// <param name="Enabled">Whether new events are queued for it (default true).</param>
public sealed record WebhookEndpointInput(
    [property: Field(FieldFormat.Uri, Required = true, NotNull = true, MaxLength = WebhookUrlPolicy.MaxUrlLength)] string? Url,
    [property: Field(MaxLength = 500)] string? Description,
    [property: Field(Required = true, NotNull = true)] IReadOnlyList<string?>? Events,
    [property: Field(NotNull = true)] bool? Enabled);

/// <summary>A webhook endpoint. Its signing secret is never shown again after creation or rotation; only its prefix.</summary>
/// <param name="Status"><c>active</c>, or <c>failing</c> after a delivery exhausted its retries (until a delivery succeeds again); a failing endpoint stays enabled.</param>
/// <param name="SecretPrefix">The signing secret's first characters (wsk_ and 8 more), to tell secrets apart.</param>
public sealed record WebhookEndpointView(
    Guid Id,
    Guid OrgId,
    string Url,
    string? Description,
    IReadOnlyList<string> Events,
    bool Enabled,
    [property: EnumValues(typeof(WebhookEndpointStatus))] string Status,
    string SecretPrefix,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt)
{
    public static WebhookEndpointView From(WebhookEndpoint e) => new(
        e.Id, e.WorkspaceId, e.Url, e.Description, WebhookEventTypes.Read(e.EventTypes), e.Enabled, WireEnum<WebhookEndpointStatus>.Format(e.Status),
        e.SecretPrefix, e.CreatedAt, e.UpdatedAt, e.DeletedAt);
}

/// <summary>An endpoint with its signing secret: the answer to a create or a rotation, the only time the secret is shown.</summary>
/// <param name="Secret">The signing secret (wsk_…): store it now; it cannot be shown again. Verify each delivery's Hoursmith-Signature with it.</param>
public sealed record WebhookEndpointWithSecretView(
    Guid Id,
    Guid OrgId,
    string Url,
    string? Description,
    IReadOnlyList<string> Events,
    bool Enabled,
    [property: EnumValues(typeof(WebhookEndpointStatus))] string Status,
    string SecretPrefix,
    string Secret,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt)
{
    public static WebhookEndpointWithSecretView From(WebhookEndpoint e, string secret)
    {
        var view = WebhookEndpointView.From(e);
        return new(view.Id, view.OrgId, view.Url, view.Description, view.Events, view.Enabled, view.Status, view.SecretPrefix, secret, view.CreatedAt, view.UpdatedAt, view.DeletedAt);
    }
}

/// <summary>One event on its way to one endpoint.</summary>
/// <param name="EventId">The event's id: the same on every retry and replay, so receivers can deduplicate.</param>
/// <param name="Status">pending (queued or waiting for a retry), succeeded, or failed (every retry failed).</param>
/// <param name="Attempts">Attempts made so far; at most 8 (the first and 7 retries).</param>
/// <param name="NextAttemptAt">When it is tried next; null once it succeeded or failed.</param>
/// <param name="LastResponseStatus">The HTTP status of the last attempt; null when there was no response (timeout, connection error).</param>
/// <param name="LastDurationMs">How long the last attempt took, in milliseconds.</param>
/// <param name="LastError">Why the last attempt failed; null after a success.</param>
/// <param name="LastResponseSnippet">The start of the last response's body (at most 1,024 characters).</param>
/// <param name="ReplayOf">The delivery this one replays, if it is a replay.</param>
public sealed record WebhookDeliveryView(
    Guid Id,
    Guid OrgId,
    Guid EndpointId,
    Guid EventId,
    string EventType,
    [property: EnumValues(typeof(WebhookDeliveryStatus))] string Status,
    int Attempts,
    DateTime? NextAttemptAt,
    DateTime? LastAttemptAt,
    int? LastResponseStatus,
    int? LastDurationMs,
    string? LastError,
    string? LastResponseSnippet,
    DateTime? DeliveredAt,
    Guid? ReplayOf,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static WebhookDeliveryView From(WebhookDelivery d) => new(
        d.Id, d.WorkspaceId, d.EndpointId, d.EventId, d.EventType, WireEnum<WebhookDeliveryStatus>.Format(d.Status), d.Attempts,
        d.NextAttemptAt, d.LastAttemptAt, d.LastResponseStatus, d.LastDurationMs, d.LastError, d.LastResponseSnippet, d.DeliveredAt, d.ReplayOf,
        d.CreatedAt, d.UpdatedAt);
}
