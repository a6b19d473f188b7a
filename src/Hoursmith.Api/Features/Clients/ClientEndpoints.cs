using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Infrastructure.OpenApi;
using Hoursmith.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Clients;

/// <summary>Clients: Owners, Admins and Managers only (Members have no access at all).</summary>
public static class ClientEndpoints
{
    internal static readonly ListSpec<Client> List = new ListSpec<Client>("clients", c => c.CreatedAt, c => c.UpdatedAt)
        .SortBy("name", c => c.Name)
        .Search("name, contactName and email", c => c.Name, c => c.ContactName, c => c.Email);

    public static IEndpointRouteBuilder MapClientEndpoints(this IEndpointRouteBuilder api)
    {
        var clients = api.MapGroup("/clients").WithTags("Clients");
        clients.MapGet("", ListClients).RequirePermission(ApiResource.Clients, ApiAction.Read).WithList(List).WithName("ListClients").WithSummary("List clients").WithDescription("Lists clients, newest first.");
        clients.MapPost("", CreateClient).RequirePermission(ApiResource.Clients, ApiAction.Write).WithName("CreateClient").WithSummary("Create a client").WithDescription("Creates a client.");
        clients.MapGet("/{id:guid}", GetClient).RequirePermission(ApiResource.Clients, ApiAction.Read).WithName("GetClient").WithSummary("Get a client").WithDescription("One client.");
        clients.MapPatch("/{id:guid}", UpdateClient).RequirePermission(ApiResource.Clients, ApiAction.Write).WithName("UpdateClient").WithSummary("Update a client").WithDescription("Updates the fields sent; null clears a field.");
        clients.MapDelete("/{id:guid}", DeleteClient).RequirePermission(ApiResource.Clients, ApiAction.Write).WithName("DeleteClient")
            .WithSummary("Delete a client")
            .WithDescription("Soft-deletes a client. 409 while it has active projects or any invoices.")
            .ProducesConflict("the client still has active projects, or has invoices");
        return api;
    }

    internal static Task<Results<Ok<ListEnvelope<ClientView>>, ApiErrorResult>> ListClients(
        ListQuery query, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        query.PageAsync(List, InWorkspace(db, caller).AsNoTracking(), caller, ClientView.From, cancellationToken);

    internal static async Task<Results<Created<DataEnvelope<ClientView>>, ApiErrorResult>> CreateClient(
        JsonBody<ClientInput> body, Caller caller, HoursmithDb db, WebhookOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var currency = await db.Workspaces.Where(w => w.Id == caller.WorkspaceId).Select(w => w.Currency).SingleAsync(cancellationToken);
        var client = new Client { WorkspaceId = caller.WorkspaceId, Name = "", Currency = currency, CreatedAt = now, UpdatedAt = now };
        var validator = new FieldValidator();
        Apply(body, client, validator, creating: true);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        db.Clients.Add(client);
        await outbox.RecordAsync(db, caller.WorkspaceId, WebhookEventTypes.ClientCreated, client, () => new { client = ClientView.From(client) }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/clients/{client.Id}", new DataEnvelope<ClientView>(ClientView.From(client)));
    }

    internal static async Task<Results<Ok<DataEnvelope<ClientView>>, ApiErrorResult>> GetClient(
        Guid id, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        await InWorkspace(db, caller).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } client
            ? TypedResults.Ok(new DataEnvelope<ClientView>(ClientView.From(client)))
            : ApiErrors.NotFound("Client not found.");

    internal static async Task<Results<Ok<DataEnvelope<ClientView>>, ApiErrorResult>> UpdateClient(
        Guid id, JsonBody<ClientInput> body, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = await InWorkspace(db, caller).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (client is null)
        {
            return ApiErrors.NotFound("Client not found.");
        }

        var validator = new FieldValidator();
        Apply(body, client, validator, creating: false);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        client.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<ClientView>(ClientView.From(client)));
    }

    internal static async Task<Results<NoContent, ApiErrorResult>> DeleteClient(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = await InWorkspace(db, caller).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (client is null)
        {
            return ApiErrors.NotFound("Client not found.");
        }

        if (await db.Projects.AnyAsync(p => p.ClientId == id && p.Status == ProjectStatus.Active, cancellationToken))
        {
            return ApiErrors.Conflict("This client still has active projects; complete or archive them first.");
        }

        if (await db.Invoices.AnyAsync(i => i.ClientId == id, cancellationToken))
        {
            return ApiErrors.Conflict("This client has invoices and cannot be deleted.");
        }

        client.DeletedAt = client.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static IQueryable<Client> InWorkspace(HoursmithDb db, Caller caller) => db.Clients.Where(c => c.WorkspaceId == caller.WorkspaceId);

    /// <summary>One path for create and PATCH: on create every field is read, on PATCH only those sent.</summary>
    private static void Apply(JsonBody<ClientInput> body, Client client, FieldValidator v, bool creating)
    {
        var input = body.Value;

        if (body.Applies(sent => sent.Name, creating))
        {
            client.Name = v.Text("name", input.Name, 200, required: true) ?? "";
        }

        if (body.Applies(sent => sent.ContactName, creating)) client.ContactName = v.Text("contactName", input.ContactName, 200);
        if (body.Applies(sent => sent.Email, creating)) client.Email = v.Email("email", input.Email);
        if (body.Applies(sent => sent.Phone, creating)) client.Phone = v.Text("phone", input.Phone, 50);
        if (body.Applies(sent => sent.Website, creating)) client.Website = v.Text("website", input.Website, 500);
        if (body.Has(sent => sent.Currency)) client.Currency = v.Currency("currency", input.Currency) ?? client.Currency;
        if (body.Applies(sent => sent.Notes, creating)) client.Notes = v.Text("notes", input.Notes, 5000);
        if (body.Applies(sent => sent.BillingAddress, creating)) client.BillingAddress = v.Text("billingAddress", input.BillingAddress, 1000);
        if (body.Applies(sent => sent.BillingLine1, creating)) client.BillingLine1 = v.Text("billingLine1", input.BillingLine1, 200);
        if (body.Applies(sent => sent.BillingLine2, creating)) client.BillingLine2 = v.Text("billingLine2", input.BillingLine2, 200);
        if (body.Applies(sent => sent.BillingCity, creating)) client.BillingCity = v.Text("billingCity", input.BillingCity, 100);
        if (body.Applies(sent => sent.BillingRegion, creating)) client.BillingRegion = v.Text("billingRegion", input.BillingRegion, 100);
        if (body.Applies(sent => sent.BillingPostalCode, creating)) client.BillingPostalCode = v.Text("billingPostalCode", input.BillingPostalCode, 20);
        if (body.Applies(sent => sent.BillingCountry, creating)) client.BillingCountry = v.Text("billingCountry", input.BillingCountry, 100);
        if (body.Applies(sent => sent.TaxNumber, creating)) client.TaxNumber = v.Text("taxNumber", input.TaxNumber, 50);
        if (body.Applies(sent => sent.DefaultRate, creating)) client.DefaultRate = v.DecimalNumber("defaultRate", input.DefaultRate);
        if (body.Applies(sent => sent.DefaultPaymentTerms, creating)) client.DefaultPaymentTerms = v.Enum<PaymentTerms>("defaultPaymentTerms", input.DefaultPaymentTerms);
        if (body.Applies(sent => sent.DefaultTaxRate, creating)) client.DefaultTaxRate = v.DecimalNumber("defaultTaxRate", input.DefaultTaxRate, maxDecimals: 4);
        if (body.Applies(sent => sent.RequirePoNumber, creating)) client.RequirePoNumber = input.RequirePoNumber ?? false;
        if (body.Applies(sent => sent.BillingEmail, creating)) client.BillingEmail = v.Email("billingEmail", input.BillingEmail);
    }
}
