using System.Text.Json.Serialization;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.OpenApi;

namespace Hoursmith.Api.Features.Projects;

/// <summary>A project's writable fields. On PATCH, omitted fields stay and null clears.</summary>
/// <param name="Status">ACTIVE, COMPLETED or ARCHIVED (new projects are ACTIVE).</param>
/// <param name="RateType">HOURLY, FIXED or NON_BILLABLE.</param>
/// <param name="HourlyRate">Up to 4 decimals; blank inherits the client's defaultRate.</param>
/// <param name="FixedFeeAmount">Required for FIXED projects, refused otherwise.</param>
/// <param name="BudgetHours">Exclusive with budgetAmount.</param>
/// <param name="BudgetAmount">Exclusive with budgetHours.</param>
public sealed record ProjectInput(
    [property: Field(FieldFormat.Uuid, Required = true)] string? ClientId,
    [property: Field(Required = true, MaxLength = 200)] string? Name,
    [property: Field(MaxLength = 5000)] string? Description,
    [property: Field(MaxLength = 32)] string? Color,
    [property: EnumValues(typeof(ProjectStatus)), Field(NotNull = true)] string? Status,
    [property: EnumValues(typeof(RateType)), Field(NotNull = true)] string? RateType,
    [property: JsonConverter(typeof(NumberOrStringConverter)), Field(FieldFormat.DecimalText)] string? HourlyRate,
    [property: JsonConverter(typeof(NumberOrStringConverter)), Field(FieldFormat.DecimalText)] string? FixedFeeAmount,
    [property: JsonConverter(typeof(NumberOrStringConverter)), Field(FieldFormat.DecimalText)] string? BudgetHours,
    [property: JsonConverter(typeof(NumberOrStringConverter)), Field(FieldFormat.DecimalText)] string? BudgetAmount,
    [property: Field(FieldFormat.Date)] string? StartDate,
    [property: Field(FieldFormat.Date)] string? DueDate);

public sealed record ProjectView(
    Guid Id,
    Guid OrgId,
    Guid ClientId,
    string Name,
    string? Description,
    string? Color,
    [property: EnumValues(typeof(ProjectStatus))] string Status,
    [property: EnumValues(typeof(RateType)), NotMoney("how the project bills (hourly or fixed), not an amount")] string RateType,
    [property: Money] decimal? HourlyRate,
    [property: Money] decimal? FixedFeeAmount,
    [property: NotMoney("hours")] decimal? BudgetHours,
    [property: Money] decimal? BudgetAmount,
    DateOnly? StartDate,
    DateOnly? DueDate,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt)
{
    public static ProjectView From(Project p) => new(
        p.Id, p.WorkspaceId, p.ClientId, p.Name, p.Description, p.Color,
        WireEnum<ProjectStatus>.Format(p.Status), WireEnum<RateType>.Format(p.RateType),
        p.HourlyRate, p.FixedFeeAmount, p.BudgetHours, p.BudgetAmount, p.StartDate, p.DueDate,
        p.CreatedAt, p.UpdatedAt, p.DeletedAt);
}

/// <param name="UserId">The member's id.</param>
public sealed record ProjectMemberInput([property: Field(FieldFormat.Uuid, Required = true)] string? UserId);

public sealed record ProjectMemberView(Guid ProjectId, Guid UserId, string Name, string Email, [property: EnumValues(typeof(Role))] string Role, DateTime AddedAt);
