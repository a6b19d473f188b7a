using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure;

namespace Hoursmith.Api.Cli;

/// <summary>What the CLI prints for workspaces and members (the API's own views arrive with those resources).</summary>
internal static class CliViews
{
    public static object Of(Workspace w) => new
    {
        id = w.Id,
        name = w.Name,
        plan = WireEnum<Plan>.Format(w.Plan),
        planStatus = WireEnum<PlanStatus>.Format(w.PlanStatus),
        currency = w.Currency,
        createdAt = w.CreatedAt,
        updatedAt = w.UpdatedAt,
    };

    public static object Of(Member m) => new
    {
        id = m.Id,
        workspaceId = m.WorkspaceId,
        name = m.Name,
        email = m.Email,
        role = WireEnum<Role>.Format(m.Role),
        status = m.RemovedAt is null ? "active" : "removed",
        createdAt = m.CreatedAt,
        removedAt = m.RemovedAt,
    };

    /// <summary>A row of <c>workspaces list</c> (operations.md).</summary>
    public static object Listed(Workspace w, Member? owner) => new
    {
        workspaceId = w.Id,
        name = w.Name,
        plan = WireEnum<Plan>.Format(w.Plan),
        status = WireEnum<PlanStatus>.Format(w.PlanStatus),
        ownerMemberId = owner?.Id,
        ownerEmail = owner?.Email,
    };

    /// <summary>A row of <c>members list</c> (operations.md).</summary>
    public static object Listed(Member m) => new
    {
        memberId = m.Id,
        email = m.Email,
        name = m.Name,
        role = WireEnum<Role>.Format(m.Role),
    };
}
