using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Infrastructure.Auth;

/// <summary>
/// A member acting in their workspace, however they got here: a token (<see cref="Caller"/>) or a
/// web session (<see cref="SessionMember"/>). What they may reach comes from the permission table.
/// </summary>
public readonly record struct Actor(Guid WorkspaceId, Guid MemberId, Role Role)
{
    public Reach? ReachOf(Permission permission) => PermissionTable.ReachOf(Role, permission);
}
