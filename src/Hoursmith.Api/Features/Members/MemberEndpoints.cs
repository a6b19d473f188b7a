using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Lists;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Members;

/// <summary>Workspace members, read-only. A Member token reads only its own record.</summary>
public static class MemberEndpoints
{
    internal static readonly ListSpec<Member> List = new ListSpec<Member>("members", m => m.CreatedAt, m => m.UpdatedAt)
        .SortByRank("role", m => m.Role)
        .Search("name and email", m => m.Name, m => m.Email)
        .EnumFilter("role", m => m.Role);

    public static IEndpointRouteBuilder MapMemberEndpoints(this IEndpointRouteBuilder api)
    {
        var members = api.MapGroup("/members").WithTags("Members");
        members.MapGet("", ListMembers).RequirePermission(ApiResource.Members, ApiAction.Read).WithList(List).WithName("ListMembers")
            .WithSummary("List members")
            .WithDescription("Lists the members this token may see, newest first; removed members are not listed.");
        members.MapGet("/{id:guid}", GetMember).RequirePermission(ApiResource.Members, ApiAction.Read).WithName("GetMember").WithSummary("Get a member").WithDescription("One member.");
        return api;
    }

    internal static Task<Results<Ok<ListEnvelope<MemberView>>, ApiErrorResult>> ListMembers(
        ListQuery query, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        query.PageAsync(List, Visible(db, caller).AsNoTracking(), caller, MemberView.From, cancellationToken);

    internal static async Task<Results<Ok<DataEnvelope<MemberView>>, ApiErrorResult>> GetMember(
        Guid id, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        await Visible(db, caller).AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken) is { } member
            ? TypedResults.Ok(new DataEnvelope<MemberView>(MemberView.From(member)))
            : ApiErrors.NotFound("Member not found.");

    /// <summary>Active members of the caller's workspace, narrowed by the permission table's reach.</summary>
    private static IQueryable<Member> Visible(HoursmithDb db, Caller caller)
    {
        var active = db.Members.Where(m => m.WorkspaceId == caller.WorkspaceId && m.RemovedAt == null);
        return caller.ReachOf(new Permission(ApiResource.Members, ApiAction.Read)) switch
        {
            Reach.Workspace => active,
            Reach.Own => active.Where(m => m.Id == caller.MemberId),
            _ => active.Where(_ => false),
        };
    }
}
