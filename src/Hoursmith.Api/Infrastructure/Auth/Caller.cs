using System.Reflection;
using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Infrastructure.Auth;

/// <summary>
/// Who is calling: the token, its member and their workspace, as read from the database on this
/// request. Handlers take it as a parameter; it is bound from the authenticated request.
/// </summary>
public sealed record Caller(
    Guid TokenId,
    string TokenName,
    string TokenPrefix,
    TokenEnvironment TokenEnvironment,
    Guid MemberId,
    string MemberName,
    string MemberEmail,
    Role Role,
    Guid WorkspaceId,
    string WorkspaceName,
    Plan Plan,
    PlanStatus PlanStatus)
{
    /// <summary>How far this caller's <paramref name="permission"/> reaches, or null when the role lacks it.</summary>
    public Reach? ReachOf(Permission permission) => PermissionTable.ReachOf(Role, permission);

    /// <summary>The member behind the token, as any other surface (the web pages) sees them.</summary>
    public Actor Actor => new(WorkspaceId, MemberId, Role);

    /// <summary>Minimal-API binding: the caller the authentication handler put on the request.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Features.Get<Caller>());
}
