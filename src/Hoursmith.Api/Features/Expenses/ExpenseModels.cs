using System.Text.Json.Serialization;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.OpenApi;

namespace Hoursmith.Api.Features.Expenses;

/// <summary>
/// An expense's writable fields. On PATCH, omitted fields stay and null clears. <c>currency</c> and
/// <c>invoiceId</c> are read-only: sending either is a 422 <c>read_only</c>.
/// </summary>
/// <param name="ClientId">Required; a client of this workspace. On PATCH it may move only to a client with the same currency.</param>
/// <param name="ProjectId">Optional; must be a project of that client.</param>
/// <param name="Category">TRAVEL, MEALS, SOFTWARE, EQUIPMENT, CONTRACTORS or OTHER (the default).</param>
/// <param name="CustomCategory">Free text, up to 100 characters; only with category OTHER.</param>
/// <param name="Description">Required, up to 500 characters.</param>
/// <param name="Amount">Required: a number or a decimal string, greater than 0, at most 2 decimals, in the client's currency.</param>
/// <param name="Billable">Defaults to true.</param>
/// <param name="ExpenseDate">Required, YYYY-MM-DD.</param>
public sealed record ExpenseInput(
    [property: Field(FieldFormat.Uuid, Required = true)] string? ClientId,
    [property: Field(FieldFormat.Uuid)] string? ProjectId,
    [property: EnumValues(typeof(ExpenseCategory)), Field(NotNull = true)] string? Category,
    [property: Field(MaxLength = 100)] string? CustomCategory,
    [property: Field(Required = true, MaxLength = 500)] string? Description,
    [property: JsonConverter(typeof(NumberOrStringConverter)), Field(FieldFormat.DecimalText, Required = true)] string? Amount,
    bool? Billable,
    [property: Field(FieldFormat.Date, Required = true)] string? ExpenseDate);

/// <param name="InvoiceId">Set when the expense is billed; a billed expense is locked (PATCH or DELETE → 409).</param>
/// <param name="Currency">ISO 4217, snapshotted from the client when the expense was created.</param>
public sealed record ExpenseView(
    Guid Id,
    Guid OrgId,
    Guid ClientId,
    Guid? ProjectId,
    Guid? InvoiceId,
    [property: EnumValues(typeof(ExpenseCategory))] string Category,
    string? CustomCategory,
    string Description,
    [property: Money] decimal Amount,
    string Currency,
    bool Billable,
    DateOnly ExpenseDate,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt)
{
    public static ExpenseView From(Expense e) => new(
        e.Id, e.WorkspaceId, e.ClientId, e.ProjectId, e.InvoiceId, WireEnum<ExpenseCategory>.Format(e.Category), e.CustomCategory,
        e.Description, e.Amount, e.Currency, e.Billable, e.ExpenseDate, e.CreatedAt, e.UpdatedAt, e.DeletedAt);
}
