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
    string? Name,
    string? ContactName,
    string? Email,
    string? Phone,
    string? Website,
    string? Currency,
    string? Notes,
    string? BillingAddress,
    string? BillingLine1,
    string? BillingLine2,
    string? BillingCity,
    string? BillingRegion,
    string? BillingPostalCode,
    string? BillingCountry,
    string? TaxNumber,
    [property: JsonConverter(typeof(NumberOrStringConverter))] string? DefaultRate,
    [property: EnumValues(typeof(PaymentTerms))] string? DefaultPaymentTerms,
    [property: JsonConverter(typeof(NumberOrStringConverter))] string? DefaultTaxRate,
    bool? RequirePoNumber,
    string? BillingEmail);

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
