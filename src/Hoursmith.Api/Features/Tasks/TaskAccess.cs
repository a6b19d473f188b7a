using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;

namespace Hoursmith.Api.Features.Tasks;

/// <summary>
/// Which tasks a caller reads, per the permission table: tasks of live projects in reach (Members:
/// the projects they are on). A deleted project's tasks go with it.
/// </summary>
public static class TaskAccess
{
    public static IQueryable<WorkTask> Visible(HoursmithDb db, Caller caller)
    {
        var inWorkspace = db.Tasks.Where(t => t.WorkspaceId == caller.WorkspaceId);
        var projects = db.Projects.Where(p => p.WorkspaceId == caller.WorkspaceId);
        return caller.ReachOf(new Permission(ApiResource.Tasks, ApiAction.Read)) switch
        {
            Reach.Workspace => inWorkspace.Where(t => projects.Any(p => p.Id == t.ProjectId)),
            Reach.TheirProjects => inWorkspace.Where(t => projects.Any(p => p.Id == t.ProjectId && db.ProjectMembers.Any(m => m.ProjectId == p.Id && m.MemberId == caller.MemberId))),
            _ => inWorkspace.Where(_ => false),
        };
    }
}
