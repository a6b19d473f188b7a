using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Lists;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Invoices;

/// <summary>Invoices, read-only: Owners, Admins and Managers (Members never see invoices).</summary>
public static class InvoiceEndpoints
{
    internal static readonly ListSpec<Invoice> List = new ListSpec<Invoice>("invoices", i => i.CreatedAt, i => i.UpdatedAt)
        .SortBy("amountPaid", i => i.AmountPaid)
        .SortBy("dueDate", i => i.DueDate)
        .SortBy("issueDate", i => i.IssueDate)
        .SortBy("number", i => i.Number)
        .SortBy("paidAt", i => i.PaidAt)
        .SortByRank("paymentStatus", i => i.PaymentStatus)
        .SortBy("sentAt", i => i.SentAt)
        .SortByRank("status", i => i.Status)
        .SortBy("total", i => i.Total)
        .Search("number", i => i.Number)
        .TextFilter("clientName", "Only invoices whose client's name contains this (any case).", i => i.Client.Name)
        .IdFilter("clientId", i => i.ClientId)
        .EnumFilter("status", i => i.Status)
        .EnumFilter("paymentStatus", i => i.PaymentStatus)
        .DateRange("issueDate", i => i.IssueDate)
        .DateRange("dueDate", i => i.DueDate)
        .TimestampRange("sentAt", i => i.SentAt)
        .TimestampRange("paidAt", i => i.PaidAt)
        .AmountRange("total", i => i.Total);

    public static IEndpointRouteBuilder MapInvoiceEndpoints(this IEndpointRouteBuilder api)
    {
        var invoices = api.MapGroup("/invoices").WithTags("Invoices");
        invoices.MapGet("", ListInvoices).RequirePermission(ApiResource.Invoices, ApiAction.Read).WithList(List).WithName("ListInvoices").WithSummary("List invoices").WithDescription("Lists invoices with their lines, newest first.");
        invoices.MapGet("/{id:guid}", GetInvoice).RequirePermission(ApiResource.Invoices, ApiAction.Read).WithName("GetInvoice").WithSummary("Get an invoice").WithDescription("One invoice with its lines.");
        return api;
    }

    internal static Task<Results<Ok<ListEnvelope<InvoiceView>>, ApiErrorResult>> ListInvoices(
        ListQuery query, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return query.PageAsync(List, InWorkspace(db, caller), caller, i => InvoiceView.From(i, today), cancellationToken);
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
