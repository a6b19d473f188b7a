using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.OpenApi;

namespace Hoursmith.Api.Features.Members;

/// <summary>A person in the workspace.</summary>
/// <param name="UserId">Same as <c>id</c>: members are the only users, so this is the id every <c>userId</c> in the API refers to.</param>
/// <param name="Role">OWNER, ADMIN, MANAGER or MEMBER.</param>
public sealed record MemberView(
    Guid Id,
    Guid OrgId,
    Guid UserId,
    [property: EnumValues(typeof(Role))] string Role,
    string Name,
    string Email,
    DateTime CreatedAt)
{
    public static MemberView From(Member m) => new(m.Id, m.WorkspaceId, m.Id, WireEnum<Role>.Format(m.Role), m.Name, m.Email, m.CreatedAt);
}
