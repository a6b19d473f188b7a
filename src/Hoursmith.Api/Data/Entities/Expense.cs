namespace Hoursmith.Api.Data.Entities;

public enum ExpenseCategory { Travel, Meals, Software, Equipment, Contractors, Other }

public sealed class Expense : WorkspaceEntity, ISoftDeletable
{
    public Guid ClientId { get; set; }
    public Client Client { get; set; } = null!;
    public Guid? ProjectId { get; set; }
    public Guid? InvoiceId { get; set; }
    public ExpenseCategory Category { get; set; } = ExpenseCategory.Other;
    public string? CustomCategory { get; set; }
    public required string Description { get; set; }
    public decimal Amount { get; set; }
    /// <summary>Snapshotted from the client at creation.</summary>
    public required string Currency { get; set; }
    public bool Billable { get; set; } = true;
    public DateOnly ExpenseDate { get; set; }
    public DateTime? DeletedAt { get; set; }
}
