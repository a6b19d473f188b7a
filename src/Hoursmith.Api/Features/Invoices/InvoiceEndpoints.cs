using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Invoices;

/// <summary>Invoices, read-only: Owners, Admins and Managers (Members never see invoices).</summary>
public static class InvoiceEndpoints
{
    public static IEndpointRouteBuilder MapInvoiceEndpoints(this IEndpointRouteBuilder api)
    {
        var invoices = api.MapGroup("/invoices").WithTags("Invoices");
        invoices.MapGet("", ListInvoices).RequirePermission(ApiResource.Invoices, ApiAction.Read).WithName("ListInvoices").WithSummary("Lists invoices with their lines, newest first.");
        invoices.MapGet("/{id:guid}", GetInvoice).RequirePermission(ApiResource.Invoices, ApiAction.Read).WithName("GetInvoice").WithSummary("One invoice with its lines.");
        return api;
    }

    internal static async Task<Results<Ok<ListEnvelope<InvoiceView>>, ApiErrorResult>> ListInvoices(
        [AsParameters] PageQuery page, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (list, error) = await Paging.PageAsync(InWorkspace(db, caller), page, i => InvoiceView.From(i, today), cancellationToken);
        return list is null ? error! : TypedResults.Ok(list);
    }

    internal static async Task<Results<Ok<DataEnvelope<InvoiceView>>, ApiErrorResult>> GetInvoice(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken) =>
        await InWorkspace(db, caller).FirstOrDefaultAsync(i => i.Id == id, cancellationToken) is { } invoice
            ? TypedResults.Ok(new DataEnvelope<InvoiceView>(InvoiceView.From(invoice, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))))
            : ApiErrors.NotFound("Invoice not found.");

    // Lines come in the same query as their invoices (no query per invoice).
    private static IQueryable<Invoice> InWorkspace(HoursmithDb db, Caller caller) =>
        db.Invoices.AsNoTracking().Include(i => i.Lines).Where(i => i.WorkspaceId == caller.WorkspaceId);
}
