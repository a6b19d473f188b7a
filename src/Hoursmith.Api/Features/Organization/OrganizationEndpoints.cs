using Hoursmith.Api.Data;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Organization;

/// <summary>The caller's own workspace, read-only; there is no way to name another one.</summary>
public static class OrganizationEndpoints
{
    public static IEndpointRouteBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder api)
    {
        var organization = api.MapGroup("/organization").WithTags("Organization");
        organization.MapGet("", GetOrganization).RequirePermission(ApiResource.Organization, ApiAction.Read).WithName("GetOrganization")
            .WithSummary("Get the organization")
            .WithDescription("The workspace this token belongs to.");
        return api;
    }

    internal static async Task<Results<Ok<DataEnvelope<OrganizationView>>, ApiErrorResult>> GetOrganization(
        Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == caller.WorkspaceId, cancellationToken) is { } workspace
            ? TypedResults.Ok(new DataEnvelope<OrganizationView>(OrganizationView.From(workspace)))
            : ApiErrors.NotFound("Organization not found.");
}
