namespace Hoursmith.Api.Data.Entities;

public enum InvoiceStatus { Draft, Sent, Paid, Cancelled }

public enum PaymentStatus { Unpaid, PartiallyPaid, Paid, Refunded }

public sealed class Invoice : WorkspaceEntity, ISoftDeletable
{
    public Guid ClientId { get; set; }
    public Client Client { get; set; } = null!;
    /// <summary>From the workspace's sequence and prefix; never reused, kept when cancelled.</summary>
    public required string Number { get; set; }
    public InvoiceStatus Status { get; set; } = InvoiceStatus.Draft;
    public PaymentStatus PaymentStatus { get; set; } = PaymentStatus.Unpaid;
    public decimal Subtotal { get; set; }
    public decimal DiscountAmount { get; set; }
    /// <summary>Percent applied to (subtotal − discount).</summary>
    public decimal? TaxRate { get; set; }
    public decimal Total { get; set; }
    public decimal AmountPaid { get; set; }
    public required string Currency { get; set; }
    public string? Notes { get; set; }
    public string? BillToName { get; set; }
    public DateOnly IssueDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? PaidAt { get; set; }
    /// <summary>Set when a draft is deleted (CLI <c>invoices delete</c>); only drafts can be.</summary>
    public DateTime? DeletedAt { get; set; }

    public List<InvoiceLine> Lines { get; } = [];
}

public enum InvoiceLineKind { Time, Expense }

/// <summary>A priced line; frozen with the invoice when it is sent.</summary>
public sealed class InvoiceLine
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid InvoiceId { get; set; }
    public int Position { get; set; }
    public InvoiceLineKind Kind { get; set; }
    public required string Description { get; set; }
    public Guid? ProjectId { get; set; }
    public Guid? TaskId { get; set; }
    /// <summary>Hours with two decimals for time; 1 for an expense.</summary>
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal Amount { get; set; }
}
