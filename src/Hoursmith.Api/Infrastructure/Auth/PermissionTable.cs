using System.Collections.Frozen;
using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Infrastructure.Auth;

public enum ApiResource { Clients, Projects, Tasks, TimeEntries, Expenses, Invoices, Members, Organization, Tokens, Webhooks }

/// <summary>
/// What a permission lets a role do. <see cref="Reassign"/> is narrower than write: moving a row to
/// another person (a time entry's <c>userId</c>), which only some roles that write may do.
/// </summary>
public enum ApiAction { Read, Write, Reassign }

/// <summary>How far a granted permission reaches.</summary>
public enum Reach
{
    /// <summary>Every row of the workspace.</summary>
    Workspace,
    /// <summary>Rows of the projects the member has been added to.</summary>
    TheirProjects,
    /// <summary>Rows assigned to the member (tasks).</summary>
    Assigned,
    /// <summary>Only the member's own rows (their time entries, tokens, member record).</summary>
    Own,
}

/// <summary>A plan feature (auth.md): its name in a 402's <c>feature</c>, and the lowest plan that has it.</summary>
public sealed record Entitlement(string Feature, Plan RequiredPlan)
{
    public static Entitlement OutboundWebhooks { get; } = new("outboundWebhooks", Plan.Agency);

    /// <summary>Whether an active plan of at least <see cref="RequiredPlan"/> holds it.</summary>
    public bool HeldBy(Plan plan, PlanStatus status) => status == PlanStatus.Active && plan >= RequiredPlan;
}

public readonly record struct Permission(ApiResource Resource, ApiAction Action)
{
    /// <summary>The scope string shown by <c>/me</c>, e.g. <c>time_entries:write</c>.</summary>
    public string Scope => $"{ResourceName(Resource)}:{Action.ToString().ToLowerInvariant()}";

    public override string ToString() => Scope;

    public static string ResourceName(ApiResource resource) => resource switch
    {
        ApiResource.TimeEntries => "time_entries",
        _ => resource.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// The one permission table (resources.md, "Who may do what"): role × resource × action → reach.
/// Enforcement (<see cref="Authentication"/>), row scoping in handlers, and <c>/me</c>'s scopes
/// all read it; nothing else decides what a role may do.
/// </summary>
public static class PermissionTable
{
    // resource                     Owner / Admin            Manager                  Member
    private static readonly (ApiResource Resource, Grant OwnerAdmin, Grant Manager, Grant Member)[] s_rows =
    [
        (ApiResource.Clients,      Grant.ReadWrite(),        Grant.ReadWrite(),       Grant.None),
        (ApiResource.Projects,     Grant.ReadWrite(),        Grant.ReadWrite(),       Grant.ReadOnly(Reach.TheirProjects)),
        (ApiResource.Tasks,        Grant.ReadWrite(),        Grant.ReadWrite(),       new(Reach.TheirProjects, Reach.Assigned)),
        // Only Owners and Admins reassign an entry to another person; Managers edit anyone's but not who did it.
        (ApiResource.TimeEntries,  Grant.ReadWrite().AndReassign(), Grant.ReadWrite(), Grant.ReadWrite(Reach.Own)),
        (ApiResource.Expenses,     Grant.ReadWrite(),        Grant.ReadWrite(),       Grant.None),
        (ApiResource.Invoices,     Grant.ReadOnly(),         Grant.ReadOnly(),        Grant.None),
        (ApiResource.Members,      Grant.ReadOnly(),         Grant.ReadOnly(),        Grant.ReadOnly(Reach.Own)),
        (ApiResource.Organization, Grant.ReadOnly(),         Grant.ReadOnly(),        Grant.ReadOnly()),
        (ApiResource.Tokens,       Grant.ReadWrite(),        Grant.ReadWrite(Reach.Own), Grant.ReadWrite(Reach.Own)),
        // Webhook endpoints and their deliveries (webhooks.md): configured by Owners and Admins only.
        (ApiResource.Webhooks,     Grant.ReadWrite(),        Grant.None,              Grant.None),
    ];

    /// <summary>
    /// Resources that need a plan feature beyond API access (auth.md, Plans): a workspace without it gets
    /// 402 <c>forbidden_plan</c> naming the feature, before any role check.
    /// </summary>
    private static readonly FrozenDictionary<ApiResource, Entitlement> s_entitlements = new Dictionary<ApiResource, Entitlement>
    {
        [ApiResource.Webhooks] = Entitlement.OutboundWebhooks,
    }.ToFrozenDictionary();

    /// <summary>The plan feature <paramref name="resource"/> needs, or null when API access is enough.</summary>
    public static Entitlement? EntitlementOf(ApiResource resource) => s_entitlements.GetValueOrDefault(resource);

    // Dense (role, resource, action) → reach, filled from s_rows: every request's authorization reads it,
    // so a lookup is an index, not a hash of a (role, permission) tuple.
    private static readonly int s_resources = Enum.GetValues<ApiResource>().Length;
    private static readonly int s_actions = Enum.GetValues<ApiAction>().Length;
    private static readonly Reach?[] s_grants = BuildGrants();
    private static readonly FrozenDictionary<Role, string[]> s_scopes = BuildScopes();

    public static Reach? ReachOf(Role role, Permission permission) => s_grants[Index(role, permission.Resource, permission.Action)];

    public static bool Allows(Role role, Permission permission) => ReachOf(role, permission) is not null;

    private static int Index(Role role, ApiResource resource, ApiAction action) => (((int)role * s_resources) + (int)resource) * s_actions + (int)action;

    /// <summary>
    /// <c>/me</c>'s scopes: coarse <c>read</c>/<c>write</c> when the role has any such permission,
    /// then every <c>resource:action</c> it holds, in table order.
    /// </summary>
    public static IReadOnlyList<string> ScopesOf(Role role) => s_scopes[role];

    private static Reach?[] BuildGrants()
    {
        var grants = new Reach?[Enum.GetValues<Role>().Length * s_resources * s_actions];
        foreach (var (resource, ownerAdmin, manager, member) in s_rows)
        {
            foreach (var (role, grant) in new[] { (Role.Owner, ownerAdmin), (Role.Admin, ownerAdmin), (Role.Manager, manager), (Role.Member, member) })
            {
                foreach (var action in Enum.GetValues<ApiAction>())
                {
                    if (grant.For(action) is { } reach)
                    {
                        grants[Index(role, resource, action)] = reach;
                    }
                }
            }
        }

        return grants;
    }

    private static FrozenDictionary<Role, string[]> BuildScopes() => Enum.GetValues<Role>().ToFrozenDictionary(role => role, ComputeScopes);

    private static string[] ComputeScopes(Role role)
    {
        var held = s_rows
            .SelectMany(row => Enum.GetValues<ApiAction>().Select(action => new Permission(row.Resource, action)))
            .Where(p => Allows(role, p))
            .ToList();
        var coarse = new List<string>();
        if (held.Any(p => p.Action == ApiAction.Read))
        {
            coarse.Add("read");
        }

        if (held.Any(p => p.Action == ApiAction.Write))
        {
            coarse.Add("write");
        }

        return [.. coarse, .. held.Select(p => p.Scope)];
    }

    private readonly record struct Grant(Reach? Read, Reach? Write, Reach? Reassign = null)
    {
        public static Grant None => default;
        public static Grant ReadOnly(Reach reach = Reach.Workspace) => new(reach, null);
        public static Grant ReadWrite(Reach reach = Reach.Workspace) => new(reach, reach);

        /// <summary>Adds the reassign action, as far as the write reaches.</summary>
        public Grant AndReassign() => this with { Reassign = Write };

        public Reach? For(ApiAction action) => action switch
        {
            ApiAction.Read => Read,
            ApiAction.Write => Write,
            ApiAction.Reassign => Reassign,
            _ => null,
        };
    }
}
