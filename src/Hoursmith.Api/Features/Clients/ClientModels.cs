using System.Text.Json.Serialization;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.OpenApi;

namespace Hoursmith.Api.Features.Clients;

/// <summary>A client's writable fields. On PATCH, omitted fields stay as they are and null clears.</summary>
/// <param name="Currency">ISO 4217; defaults to the organization's currency.</param>
/// <param name="DefaultRate">Hourly rate for new projects: a number or a decimal string, any precision.</param>
/// <param name="DefaultPaymentTerms">When invoices are due: DUE_ON_RECEIPT, NET_7, NET_14, NET_15, NET_30 or NET_60 (any letter case; labels such as "Net 30" too); null for the workspace default.</param>
/// <param name="DefaultTaxRate">Percent, e.g. "20".</param>
public sealed record ClientInput(
    [property: Field(Required = true, MaxLength = 200)] string? Name,
    [property: Field(MaxLength = 200)] string? ContactName,
    [property: Field(FieldFormat.Email, MaxLength = 320)] string? Email,
    [property: Field(MaxLength = 50)] string? Phone,
    [property: Field(MaxLength = 500)] string? Website,
    [property: Field(NotNull = true, MaxLength = 3)] string? Currency,
    [property: Field(MaxLength = 5000)] string? Notes,
    [property: Field(MaxLength = 1000)] string? BillingAddress,
    [property: Field(MaxLength = 200)] string? BillingLine1,
    [property: Field(MaxLength = 200)] string? BillingLine2,
    [property: Field(MaxLength = 100)] string? BillingCity,
    [property: Field(MaxLength = 100)] string? BillingRegion,
    [property: Field(MaxLength = 20)] string? BillingPostalCode,
    [property: Field(MaxLength = 100)] string? BillingCountry,
    [property: Field(MaxLength = 50)] string? TaxNumber,
    [property: JsonConverter(typeof(NumberOrStringConverter)), Field(FieldFormat.DecimalText)] string? DefaultRate,
    [property: EnumValues(typeof(PaymentTerms))] string? DefaultPaymentTerms,
    [property: JsonConverter(typeof(NumberOrStringConverter)), Field(FieldFormat.DecimalText)] string? DefaultTaxRate,
    bool? RequirePoNumber,
    [property: Field(FieldFormat.Email, MaxLength = 320)] string? BillingEmail);

public sealed record ClientView(
    Guid Id,
    Guid OrgId,
    string Name,
    string? ContactName,
    string? Email,
    string? Phone,
    string? Website,
    string Currency,
    string? Notes,
    string? BillingAddress,
    string? BillingLine1,
    string? BillingLine2,
    string? BillingCity,
    string? BillingRegion,
    string? BillingPostalCode,
    string? BillingCountry,
    string? TaxNumber,
    [property: Money] decimal? DefaultRate,
    [property: EnumValues(typeof(PaymentTerms))] string? DefaultPaymentTerms,
    [property: Money] decimal? DefaultTaxRate,
    bool RequirePoNumber,
    string? BillingEmail,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt)
{
    public static ClientView From(Client c) => new(
        c.Id, c.WorkspaceId, c.Name, c.ContactName, c.Email, c.Phone, c.Website, c.Currency, c.Notes,
        c.BillingAddress, c.BillingLine1, c.BillingLine2, c.BillingCity, c.BillingRegion, c.BillingPostalCode, c.BillingCountry,
        c.TaxNumber, c.DefaultRate, c.DefaultPaymentTerms is { } terms ? WireEnum<PaymentTerms>.Format(terms) : null, c.DefaultTaxRate, c.RequirePoNumber, c.BillingEmail,
        c.CreatedAt, c.UpdatedAt, c.DeletedAt);
}
