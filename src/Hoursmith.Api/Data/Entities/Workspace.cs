namespace Hoursmith.Api.Data.Entities;

public enum Plan { Free, Studio, Agency }

public enum PlanStatus { Active, Lapsed }

/// <summary>A customer's organization ("orgId" in the API). Everything else hangs off it.</summary>
public sealed class Workspace
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public Plan Plan { get; set; }
    public PlanStatus PlanStatus { get; set; } = PlanStatus.Active;
    public string Currency { get; set; } = "USD";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<Member> Members { get; } = [];

    /// <summary>Free has no API access; a lapsed paid plan loses it until it is active again.</summary>
    public static bool HasApiAccess(Plan plan, PlanStatus status) => plan != Plan.Free && status == PlanStatus.Active;

    /// <summary>Member caps from the pricing pages.</summary>
    public static int MemberCap(Plan plan) => plan switch
    {
        Plan.Free => 3,
        Plan.Studio => 10,
        _ => 25,
    };
}
