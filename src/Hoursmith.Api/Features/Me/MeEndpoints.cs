using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Projects;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Me;

/// <summary>Who this token acts as. The documented fields first, then our additions.</summary>
/// <param name="OrgId">The workspace id.</param>
/// <param name="OrgName">The workspace name.</param>
/// <param name="Plan"><c>free</c>, <c>studio</c> or <c>agency</c>.</param>
/// <param name="Role"><c>OWNER</c>, <c>ADMIN</c>, <c>MANAGER</c> or <c>MEMBER</c>: the minting member's role now.</param>
/// <param name="TokenName">The name given to the token at minting.</param>
/// <param name="Scopes">What the role may do: <c>read</c>/<c>write</c>, then <c>resource:action</c> entries.</param>
/// <param name="ProjectIds">
/// Projects a project-scoped (Member) token can reach. Empty for tokens that reach every project of
/// the workspace (Owner, Admin, Manager): they are not project-scoped.
/// </param>
/// <param name="TokenPrefix">The token's public prefix.</param>
/// <param name="TokenEnv"><c>live</c> or <c>test</c>.</param>
/// <param name="Member">The member the token acts as.</param>
public sealed record MeResponse(
    Guid OrgId,
    string OrgName,
    [property: EnumValues(typeof(Plan))] string Plan,
    [property: EnumValues(typeof(Role))] string Role,
    string TokenName,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<Guid> ProjectIds,
    string TokenPrefix,
    string TokenEnv,
    MeMember Member);

public sealed record MeMember(Guid Id, string Name, string Email);

public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/me", GetMe)
            .RequireAuthorization()
            .WithTags("Me")
            .WithName("GetMe")
            .WithSummary("Get the calling token")
            .WithDescription("The workspace, role, plan and scopes of the calling token: the quickest way to check a token.");
        return api;
    }

    internal static async Task<Ok<DataEnvelope<MeResponse>>> GetMe(Caller caller, HoursmithDb db, CancellationToken cancellationToken)
    {
        // Only project-scoped tokens need a query; /me stays query-free for everyone else.
        IReadOnlyList<Guid> projectIds = caller.ReachOf(new Permission(ApiResource.Projects, ApiAction.Read)) == Reach.TheirProjects
            ? await ProjectAccess.VisibleIds(db, caller).OrderBy(id => id).ToListAsync(cancellationToken)
            : [];
        return TypedResults.Ok(new DataEnvelope<MeResponse>(new MeResponse(
            caller.WorkspaceId,
            caller.WorkspaceName,
            WireEnum<Plan>.Format(caller.Plan),
            WireEnum<Role>.Format(caller.Role),
            caller.TokenName,
            PermissionTable.ScopesOf(caller.Role),
            projectIds,
            caller.TokenPrefix,
            TokenFormat.EnvironmentName(caller.TokenEnvironment),
            new MeMember(caller.MemberId, caller.MemberName, caller.MemberEmail))));
    }
}
