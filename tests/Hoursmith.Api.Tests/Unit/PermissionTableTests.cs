using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;

namespace Hoursmith.Api.Tests.Unit;

public class PermissionTableTests
{
    public static TheoryData<Role> Roles => new(Enum.GetValues<Role>());

    private static Permission P(ApiResource resource, ApiAction action) => new(resource, action);

    [Fact]
    public void Owners_and_admins_hold_the_same_powers()
    {
        Assert.Equal(PermissionTable.ScopesOf(Role.Owner), PermissionTable.ScopesOf(Role.Admin));
    }

    [Fact]
    public void Managers_do_full_crud_on_work_and_read_invoices_only()
    {
        foreach (var resource in new[] { ApiResource.Clients, ApiResource.Projects, ApiResource.Tasks, ApiResource.TimeEntries, ApiResource.Expenses })
        {
            Assert.Equal(Reach.Workspace, PermissionTable.ReachOf(Role.Manager, P(resource, ApiAction.Write)));
        }

        Assert.True(PermissionTable.Allows(Role.Manager, P(ApiResource.Invoices, ApiAction.Read)));
        Assert.False(PermissionTable.Allows(Role.Manager, P(ApiResource.Invoices, ApiAction.Write)));
        Assert.False(PermissionTable.Allows(Role.Owner, P(ApiResource.Invoices, ApiAction.Write)));
    }

    [Fact]
    public void Members_are_read_mostly_and_self_scoped()
    {
        Assert.False(PermissionTable.Allows(Role.Member, P(ApiResource.Clients, ApiAction.Read)));
        Assert.False(PermissionTable.Allows(Role.Member, P(ApiResource.Expenses, ApiAction.Read)));
        Assert.False(PermissionTable.Allows(Role.Member, P(ApiResource.Invoices, ApiAction.Read)));
        Assert.False(PermissionTable.Allows(Role.Member, P(ApiResource.Projects, ApiAction.Write)));
        Assert.Equal(Reach.TheirProjects, PermissionTable.ReachOf(Role.Member, P(ApiResource.Projects, ApiAction.Read)));
        Assert.Equal(Reach.Assigned, PermissionTable.ReachOf(Role.Member, P(ApiResource.Tasks, ApiAction.Write)));
        Assert.Equal(Reach.Own, PermissionTable.ReachOf(Role.Member, P(ApiResource.TimeEntries, ApiAction.Write)));
        Assert.Equal(Reach.Own, PermissionTable.ReachOf(Role.Member, P(ApiResource.Members, ApiAction.Read)));
    }

    [Fact]
    public void Only_owners_and_admins_reach_every_token()
    {
        Assert.Equal(Reach.Workspace, PermissionTable.ReachOf(Role.Owner, P(ApiResource.Tokens, ApiAction.Write)));
        Assert.Equal(Reach.Workspace, PermissionTable.ReachOf(Role.Admin, P(ApiResource.Tokens, ApiAction.Read)));
        Assert.Equal(Reach.Own, PermissionTable.ReachOf(Role.Manager, P(ApiResource.Tokens, ApiAction.Read)));
        Assert.Equal(Reach.Own, PermissionTable.ReachOf(Role.Member, P(ApiResource.Tokens, ApiAction.Write)));
    }

    [Fact]
    public void Only_owners_and_admins_reassign_time_entries()
    {
        var reassign = P(ApiResource.TimeEntries, ApiAction.Reassign);

        Assert.Equal(Reach.Workspace, PermissionTable.ReachOf(Role.Owner, reassign));
        Assert.Equal(Reach.Workspace, PermissionTable.ReachOf(Role.Admin, reassign));
        Assert.Null(PermissionTable.ReachOf(Role.Manager, reassign));
        Assert.Null(PermissionTable.ReachOf(Role.Member, reassign));
        Assert.Equal(Reach.Workspace, PermissionTable.ReachOf(Role.Manager, P(ApiResource.TimeEntries, ApiAction.Write)));
        Assert.Equal("time_entries:reassign", reassign.Scope);
        Assert.Contains("time_entries:reassign", PermissionTable.ScopesOf(Role.Owner));
        Assert.DoesNotContain("time_entries:reassign", PermissionTable.ScopesOf(Role.Manager));
        Assert.DoesNotContain("time_entries:reassign", PermissionTable.ScopesOf(Role.Member));
    }

    [Fact]
    public void Reassign_is_granted_on_time_entries_alone()
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var resource in Enum.GetValues<ApiResource>().Where(r => r != ApiResource.TimeEntries))
            {
                Assert.False(PermissionTable.Allows(role, P(resource, ApiAction.Reassign)), $"{role} {resource}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Scopes_list_exactly_what_the_table_allows(Role role)
    {
        var scopes = PermissionTable.ScopesOf(role);
        var everyPermission = Enum.GetValues<ApiResource>().SelectMany(r => Enum.GetValues<ApiAction>().Select(a => P(r, a)));
        foreach (var permission in everyPermission)
        {
            Assert.Equal(PermissionTable.Allows(role, permission), scopes.Contains(permission.Scope));
        }

        Assert.Equal("read", scopes[0]);
        Assert.Contains("write", scopes); // every role may at least manage its own tokens
        Assert.Equal(scopes.Count, scopes.Distinct().Count());
    }
}
