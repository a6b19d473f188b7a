using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;

namespace Hoursmith.Api.Features.Projects;

/// <summary>Which projects a caller reaches, per the permission table (Members: the ones they are on).</summary>
public static class ProjectAccess
{
    public static IQueryable<Project> Visible(HoursmithDb db, Caller caller, ApiAction action = ApiAction.Read)
    {
        var inWorkspace = db.Projects.Where(p => p.WorkspaceId == caller.WorkspaceId);
        return caller.ReachOf(new Permission(ApiResource.Projects, action)) switch
        {
            Reach.Workspace => inWorkspace,
            Reach.TheirProjects => inWorkspace.Where(p => db.ProjectMembers.Any(m => m.ProjectId == p.Id && m.MemberId == caller.MemberId)),
            _ => inWorkspace.Where(_ => false),
        };
    }

    /// <summary>Ids of the projects the caller reaches (for /me and for narrowing other resources).</summary>
    public static IQueryable<Guid> VisibleIds(HoursmithDb db, Caller caller) => Visible(db, caller).Select(p => p.Id);
}
