using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.OpenApi;

namespace Hoursmith.Api.Features.Invoices;

/// <summary>An invoice with its lines. Invoices are read-only over the API; the CLI creates, sends, records payments and cancels.</summary>
/// <param name="Number">The workspace's invoicePrefix and sequence, e.g. INV-0001; never reused.</param>
/// <param name="Status">DRAFT, SENT, PAID or CANCELLED.</param>
/// <param name="PaymentStatus">unpaid, partially_paid, paid or refunded.</param>
/// <param name="Subtotal">Sum of the line amounts.</param>
/// <param name="DiscountAmount">Taken off the subtotal before tax.</param>
/// <param name="TaxRate">Percent applied to (subtotal − discountAmount); null when untaxed.</param>
/// <param name="TaxAmount">(subtotal − discountAmount) × taxRate / 100, to the cent.</param>
/// <param name="Total">subtotal − discountAmount + taxAmount.</param>
/// <param name="Overdue">Derived, not a status: sent, not fully paid, and the due date is before today (UTC).</param>
/// <param name="Lines">In position order: time (one line per project and task, a FIXED project's fee as one line), then expenses.</param>
public sealed record InvoiceView(
    Guid Id,
    Guid OrgId,
    Guid ClientId,
    string Number,
    [property: EnumValues(typeof(InvoiceStatus))] string Status,
    [property: EnumValues(typeof(PaymentStatus))] string PaymentStatus,
    [property: Money] decimal Subtotal,
    [property: Money] decimal DiscountAmount,
    [property: Money] decimal? TaxRate,
    [property: Money] decimal TaxAmount,
    [property: Money] decimal Total,
    [property: Money] decimal AmountPaid,
    string Currency,
    string? Notes,
    string? BillToName,
    DateOnly IssueDate,
    DateOnly? DueDate,
    DateTime? SentAt,
    [property: NotMoney("when it was paid, not how much")] DateTime? PaidAt,
    bool Overdue,
    IReadOnlyList<InvoiceLineView> Lines,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt)
{
    /// <param name="today">Today's UTC date, for <see cref="Overdue"/>.</param>
    public static InvoiceView From(Invoice i, DateOnly today) => new(
        i.Id, i.WorkspaceId, i.ClientId, i.Number,
        WireEnum<InvoiceStatus>.Format(i.Status), WireEnum<PaymentStatus>.Format(i.PaymentStatus),
        i.Subtotal, i.DiscountAmount, i.TaxRate, i.Total - (i.Subtotal - i.DiscountAmount), i.Total, i.AmountPaid,
        i.Currency, i.Notes, i.BillToName, i.IssueDate, i.DueDate, i.SentAt, i.PaidAt,
        IsOverdue(i, today),
        [.. i.Lines.OrderBy(l => l.Position).Select(InvoiceLineView.From)],
        i.CreatedAt, i.UpdatedAt, i.DeletedAt);

    public static bool IsOverdue(Invoice i, DateOnly today) =>
        i.Status == InvoiceStatus.Sent && i.PaymentStatus != Data.Entities.PaymentStatus.Paid && i.DueDate is { } due && due < today;
}

/// <summary>A priced line, frozen once the invoice is sent.</summary>
/// <param name="Kind">time or expense.</param>
/// <param name="Quantity">Hours with two decimals (each entry rounded up to 15 minutes) for time; 1 for an expense or a fixed fee.</param>
/// <param name="UnitPrice">The hourly rate (project rate, else the client's defaultRate), the fixed fee, or the expense amount.</param>
/// <param name="Amount">quantity × unitPrice, to the cent.</param>
public sealed record InvoiceLineView(
    int Position,
    [property: EnumValues(typeof(InvoiceLineKind))] string Kind,
    string Description,
    Guid? ProjectId,
    Guid? TaskId,
    [property: NotMoney("hours or a count, not an amount")] decimal Quantity,
    [property: Money] decimal UnitPrice,
    [property: Money] decimal Amount)
{
    public static InvoiceLineView From(InvoiceLine l) => new(
        l.Position, WireEnum<InvoiceLineKind>.Format(l.Kind), l.Description, l.ProjectId, l.TaskId, l.Quantity, l.UnitPrice, l.Amount);
}
