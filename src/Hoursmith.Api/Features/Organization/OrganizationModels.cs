using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.OpenApi;

namespace Hoursmith.Api.Features.Organization;

/// <summary>The caller's workspace.</summary>
/// <param name="Plan"><c>free</c>, <c>studio</c> or <c>agency</c>.</param>
/// <param name="DefaultCurrency">ISO 4217; new clients take it unless they set their own.</param>
/// <param name="InvoicePrefix">Put before every invoice number.</param>
public sealed record OrganizationView(
    Guid Id,
    string Name,
    [property: EnumValues(typeof(Plan))] string Plan,
    string DefaultCurrency,
    string InvoicePrefix,
    string? LegalName,
    string? TaxId,
    string? BusinessEmail,
    string? BusinessWebsite,
    DateTime CreatedAt)
{
    public static OrganizationView From(Workspace w) => new(
        w.Id, w.Name, WireEnum<Plan>.Format(w.Plan), w.Currency, w.InvoicePrefix, w.LegalName, w.TaxId, w.BusinessEmail, w.BusinessWebsite, w.CreatedAt);
}
