namespace Hoursmith.Api.Data.Entities;

public enum Plan { Free, Studio, Agency }

public enum PlanStatus { Active, Lapsed }

/// <summary>A customer's organization ("orgId" in the API). Everything else hangs off it.</summary>
public sealed class Workspace
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public Plan Plan { get; set; }
    public PlanStatus PlanStatus { get; set; } = PlanStatus.Active;
    public string Currency { get; set; } = "USD";
    public string InvoicePrefix { get; set; } = "INV-";
    public string? LegalName { get; set; }
    public string? TaxId { get; set; }
    public string? BusinessEmail { get; set; }
    public string? BusinessWebsite { get; set; }
    /// <summary>The last invoice number handed out; numbers are never reused.</summary>
    public int InvoiceSequence { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<Member> Members { get; } = [];

    /// <summary>Free has no API access; a lapsed paid plan loses it until it is active again.</summary>
    public static bool HasApiAccess(Plan plan, PlanStatus status) => plan != Plan.Free && status == PlanStatus.Active;

    /// <summary>Sent invoices per calendar month (UTC).</summary>
    public static int MonthlyInvoiceLimit(Plan plan) => plan switch
    {
        Plan.Free => 5,
        Plan.Studio => 10,
        _ => 25,
    };

    /// <summary>Member caps from the pricing pages.</summary>
    public static int MemberCap(Plan plan) => plan switch
    {
        Plan.Free => 3,
        Plan.Studio => 10,
        _ => 25,
    };
}
