using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Webhooks;

/// <summary>
/// Managing webhook endpoints and their deliveries (webhooks.md, "Our decisions"): Agency plan
/// (<c>outboundWebhooks</c>), Owners and Admins — both from the permission table's <c>webhooks</c> row.
/// </summary>
public static class WebhookEndpoints
{
    // No search: a workspace has a handful of endpoints (and search needs a full-text index per collection).
    internal static readonly ListSpec<WebhookEndpoint> List = new ListSpec<WebhookEndpoint>("webhook-endpoints", e => e.CreatedAt, e => e.UpdatedAt)
        .BoolFilter("enabled", e => e.Enabled);

    internal static readonly ListSpec<WebhookDelivery> DeliveryList = new ListSpec<WebhookDelivery>("webhook-deliveries", d => d.CreatedAt, d => d.UpdatedAt)
        .SortBy("nextAttemptAt", d => d.NextAttemptAt)
        .EnumFilter("status", d => d.Status)
        .IdFilter("eventId", d => d.EventId)
        .TextFilter("eventType", "the event type, exactly (e.g. invoice.paid)", d => d.EventType);

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder api)
    {
        var endpoints = api.MapGroup("/webhook-endpoints").WithTags("Webhooks");
        endpoints.MapGet("", ListWebhookEndpoints).RequirePermission(ApiResource.Webhooks, ApiAction.Read).WithList(List)
            .WithName("ListWebhookEndpoints").WithSummary("List webhook endpoints").WithDescription("Lists the workspace's webhook endpoints, newest first. Secrets are never shown, only their prefix.");
        endpoints.MapPost("", CreateWebhookEndpoint).RequirePermission(ApiResource.Webhooks, ApiAction.Write)
            .WithName("CreateWebhookEndpoint").WithSummary("Create a webhook endpoint")
            .WithDescription("Creates an endpoint for the event types listed. The answer carries its signing secret (wsk_…), shown this once.");
        endpoints.MapGet("/{id:guid}", GetWebhookEndpoint).RequirePermission(ApiResource.Webhooks, ApiAction.Read)
            .WithName("GetWebhookEndpoint").WithSummary("Get a webhook endpoint").WithDescription("One endpoint, with its secret's prefix only.");
        endpoints.MapPatch("/{id:guid}", UpdateWebhookEndpoint).RequirePermission(ApiResource.Webhooks, ApiAction.Write)
            .WithName("UpdateWebhookEndpoint").WithSummary("Update a webhook endpoint").WithDescription("Changes the URL, description, event types or enabled flag sent.");
        endpoints.MapDelete("/{id:guid}", DeleteWebhookEndpoint).RequirePermission(ApiResource.Webhooks, ApiAction.Write)
            .WithName("DeleteWebhookEndpoint").WithSummary("Delete a webhook endpoint").WithDescription("Deletes an endpoint; its queued deliveries are not sent.");
        endpoints.MapPost("/{id:guid}/rotate-secret", RotateWebhookSecret).RequirePermission(ApiResource.Webhooks, ApiAction.Write)
            .WithName("RotateWebhookSecret").WithSummary("Rotate a signing secret")
            .WithDescription("Replaces the endpoint's signing secret; the old one stops signing at once (no overlap). The new secret is shown this once.");
        endpoints.MapPost("/{id:guid}/test", SendWebhookTest).RequirePermission(ApiResource.Webhooks, ApiAction.Write)
            .WithName("SendWebhookTest").WithSummary("Send a test event")
            .WithDescription("Queues a test event (type webhook.test, livemode false, data.test true) for this endpoint, whatever it subscribes to.");
        endpoints.MapGet("/{id:guid}/deliveries", ListWebhookDeliveries).RequirePermission(ApiResource.Webhooks, ApiAction.Read).WithList(DeliveryList)
            .WithName("ListWebhookDeliveries").WithSummary("List an endpoint's deliveries")
            .WithDescription("The endpoint's deliveries, newest first: status, attempts, the last response's status, time and start of its body, and the next attempt.");

        var deliveries = api.MapGroup("/webhook-deliveries").WithTags("Webhooks");
        deliveries.MapPost("/{id:guid}/replay", ReplayWebhookDelivery).RequirePermission(ApiResource.Webhooks, ApiAction.Write)
            .WithName("ReplayWebhookDelivery").WithSummary("Replay a delivery")
            .WithDescription("Sends a past delivery's event again, as a new delivery with the same event id (receivers deduplicate on it).");
        return api;
    }

    internal static Task<Results<Ok<ListEnvelope<WebhookEndpointView>>, ApiErrorResult>> ListWebhookEndpoints(
        ListQuery query, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        query.PageAsync(List, InWorkspace(db, caller).AsNoTracking(), caller, WebhookEndpointView.From, cancellationToken);

    internal static async Task<Results<Created<DataEnvelope<WebhookEndpointWithSecretView>>, ApiErrorResult>> CreateWebhookEndpoint(
        JsonBody<WebhookEndpointInput> body, Caller caller, HoursmithDb db, WebhookSecrets secrets, WebhookUrlPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var secret = WebhookSecrets.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            WorkspaceId = caller.WorkspaceId,
            Url = "",
            EventTypes = "",
            SecretCiphertext = [],
            SecretPrefix = WebhookSecrets.ShownPrefix(secret),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var validator = new FieldValidator();
        await ApplyAsync(body, endpoint, policy, validator, creating: true, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        endpoint.SecretCiphertext = secrets.Encrypt(endpoint.Id, secret);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/webhook-endpoints/{endpoint.Id}",
            new DataEnvelope<WebhookEndpointWithSecretView>(WebhookEndpointWithSecretView.From(endpoint, secret)));
    }

    internal static async Task<Results<Ok<DataEnvelope<WebhookEndpointView>>, ApiErrorResult>> GetWebhookEndpoint(
        Guid id, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        await InWorkspace(db, caller).AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken) is { } endpoint
            ? TypedResults.Ok(new DataEnvelope<WebhookEndpointView>(WebhookEndpointView.From(endpoint)))
            : NotFound();

    internal static async Task<Results<Ok<DataEnvelope<WebhookEndpointView>>, ApiErrorResult>> UpdateWebhookEndpoint(
        Guid id, JsonBody<WebhookEndpointInput> body, Caller caller, HoursmithDb db, WebhookUrlPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await InWorkspace(db, caller).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound();
        }

        var validator = new FieldValidator();
        await ApplyAsync(body, endpoint, policy, validator, creating: false, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        endpoint.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<WebhookEndpointView>(WebhookEndpointView.From(endpoint)));
    }

    internal static async Task<Results<NoContent, ApiErrorResult>> DeleteWebhookEndpoint(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await InWorkspace(db, caller).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound();
        }

        endpoint.DeletedAt = endpoint.UpdatedAt = time.GetUtcNow().UtcDateTime;
        endpoint.Enabled = false;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<DataEnvelope<WebhookEndpointWithSecretView>>, ApiErrorResult>> RotateWebhookSecret(
        Guid id, Caller caller, HoursmithDb db, WebhookSecrets secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await InWorkspace(db, caller).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound();
        }

        var secret = WebhookSecrets.NewSecret();
        endpoint.SecretCiphertext = secrets.Encrypt(endpoint.Id, secret);
        endpoint.SecretPrefix = WebhookSecrets.ShownPrefix(secret);
        endpoint.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<WebhookEndpointWithSecretView>(WebhookEndpointWithSecretView.From(endpoint, secret)));
    }

    internal static async Task<Results<Accepted<DataEnvelope<WebhookDeliveryView>>, ApiErrorResult>> SendWebhookTest(
        Guid id, Caller caller, HoursmithDb db, WebhookOutbox outbox, CancellationToken cancellationToken)
    {
        var endpoint = await InWorkspace(db, caller).AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound();
        }

        var delivery = outbox.AddTest(db, endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/v1/webhook-endpoints/{id}/deliveries", new DataEnvelope<WebhookDeliveryView>(WebhookDeliveryView.From(delivery)));
    }

    internal static async Task<Results<Ok<ListEnvelope<WebhookDeliveryView>>, ApiErrorResult>> ListWebhookDeliveries(
        Guid id, ListQuery query, Caller caller, HoursmithDb db, CancellationToken cancellationToken)
    {
        if (!await InWorkspace(db, caller).AnyAsync(e => e.Id == id, cancellationToken))
        {
            return NotFound();
        }

        return await query.PageAsync(DeliveryList, db.WebhookDeliveries.AsNoTracking().Where(d => d.WorkspaceId == caller.WorkspaceId && d.EndpointId == id),
            caller, WebhookDeliveryView.From, cancellationToken);
    }

    internal static async Task<Results<Accepted<DataEnvelope<WebhookDeliveryView>>, ApiErrorResult>> ReplayWebhookDelivery(
        Guid id, Caller caller, HoursmithDb db, WebhookOutbox outbox, CancellationToken cancellationToken)
    {
        // A delivery of a deleted endpoint is gone with it.
        var original = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Id == id && d.WorkspaceId == caller.WorkspaceId && InWorkspace(db, caller).Any(e => e.Id == d.EndpointId))
            .FirstOrDefaultAsync(cancellationToken);
        if (original is null)
        {
            return ApiErrors.NotFound("Webhook delivery not found.");
        }

        var replay = outbox.AddReplay(db, original);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/v1/webhook-endpoints/{original.EndpointId}/deliveries", new DataEnvelope<WebhookDeliveryView>(WebhookDeliveryView.From(replay)));
    }

    private static ApiErrorResult NotFound() => ApiErrors.NotFound("Webhook endpoint not found.");

    private static IQueryable<WebhookEndpoint> InWorkspace(HoursmithDb db, Caller caller) => db.WebhookEndpoints.Where(e => e.WorkspaceId == caller.WorkspaceId);

    /// <summary>One path for create and PATCH: on create every field is read, on PATCH only those sent.</summary>
    private static async Task ApplyAsync(
        JsonBody<WebhookEndpointInput> body, WebhookEndpoint endpoint, WebhookUrlPolicy policy, FieldValidator v, bool creating, CancellationToken cancellationToken)
    {
        var input = body.Value;
        if (body.Applies(sent => sent.Url, creating))
        {
            if (v.Text("url", input.Url, WebhookUrlPolicy.MaxUrlLength, required: true) is { } url && !v.Errors.ContainsKey("url"))
            {
                if (await policy.ProblemWithAsync(url, cancellationToken) is { } problem)
                {
                    v.Fail("url", problem);
                }

                endpoint.Url = url;
            }
        }

        if (body.Applies(sent => sent.Description, creating))
        {
            endpoint.Description = v.Text("description", input.Description, 500);
        }

        if (body.Applies(sent => sent.Events, creating))
        {
            var events = input.Events?.Select(FieldValidator.Clean).ToList();
            if (events is null || events.Count == 0)
            {
                v.Fail("events", "required");
            }
            else if (events.Any(type => type is null || !WebhookEventTypes.IsKnown(type)))
            {
                v.Fail("events", "invalid");
            }
            else
            {
                endpoint.EventTypes = WebhookEventTypes.Store(events!);
            }
        }

        if (body.Has(sent => sent.Enabled))
        {
            if (input.Enabled is { } enabled)
            {
                endpoint.Enabled = enabled;
            }
            else
            {
                v.Fail("enabled", "invalid");
            }
        }
    }
}
