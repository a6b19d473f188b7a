namespace Hoursmith.Api.Data.Entities;

/// <summary>Rows that disappear from lists and reads when deleted, but stay for history.</summary>
public interface ISoftDeletable
{
    DateTime? DeletedAt { get; set; }
}

/// <summary>Rows that belong to one workspace and carry the common timestamps.</summary>
public abstract class WorkspaceEntity : Hoursmith.Api.Infrastructure.IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>When an invoice is due, as the reference names the choices (<c>NET_30</c>: 30 days after issue).</summary>
public enum PaymentTerms { DueOnReceipt, Net7, Net14, Net15, Net30, Net60 }

public static class PaymentTermsDays
{
    public static int Of(PaymentTerms terms) => terms switch
    {
        PaymentTerms.DueOnReceipt => 0,
        PaymentTerms.Net7 => 7,
        PaymentTerms.Net14 => 14,
        PaymentTerms.Net15 => 15,
        PaymentTerms.Net30 => 30,
        PaymentTerms.Net60 => 60,
        _ => throw new ArgumentOutOfRangeException(nameof(terms)),
    };
}

public sealed class Client : WorkspaceEntity, ISoftDeletable
{
    public required string Name { get; set; }
    public string? ContactName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public required string Currency { get; set; }
    public string? Notes { get; set; }
    public string? BillingAddress { get; set; }
    public string? BillingLine1 { get; set; }
    public string? BillingLine2 { get; set; }
    public string? BillingCity { get; set; }
    public string? BillingRegion { get; set; }
    public string? BillingPostalCode { get; set; }
    public string? BillingCountry { get; set; }
    public string? TaxNumber { get; set; }
    public decimal? DefaultRate { get; set; }
    /// <summary>When its invoices are due; null: the workspace default (no due date).</summary>
    public PaymentTerms? DefaultPaymentTerms { get; set; }
    /// <summary>Percent, e.g. 20 for 20 %.</summary>
    public decimal? DefaultTaxRate { get; set; }
    public bool RequirePoNumber { get; set; }
    public string? BillingEmail { get; set; }
    public DateTime? DeletedAt { get; set; }
}
