using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Infrastructure;

/// <summary>How enums are written on the wire: roles upper case, plans and statuses lower case.</summary>
public static class WireNames
{
    public static string ToApi(Role role) => role switch
    {
        Role.Owner => "OWNER",
        Role.Admin => "ADMIN",
        Role.Manager => "MANAGER",
        _ => "MEMBER",
    };

    public static string ToApi(Plan plan) => plan switch
    {
        Plan.Free => "free",
        Plan.Studio => "studio",
        _ => "agency",
    };

    public static string ToApi(PlanStatus status) => status == PlanStatus.Active ? "active" : "lapsed";
}
