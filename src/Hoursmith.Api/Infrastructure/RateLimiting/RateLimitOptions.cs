using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Infrastructure.RateLimiting;

/// <summary>The <c>RateLimits:*</c> settings, with the budgets of conventions.md as defaults.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off only for benchmarks of other layers and for test suites that are not about limits.</summary>
    public bool Enabled { get; set; } = true;

    public PlanBudget Studio { get; set; } = new() { Burst = new() { Limit = 30, Period = TimeSpan.FromSeconds(10) }, Sustained = new() { Limit = 600, Period = TimeSpan.FromSeconds(60) } };

    public PlanBudget Agency { get; set; } = new() { Burst = new() { Limit = 60, Period = TimeSpan.FromSeconds(10) }, Sustained = new() { Limit = 1200, Period = TimeSpan.FromSeconds(60) } };

    /// <summary>Requests without a valid token, per client IP.</summary>
    public Budget Unauthenticated { get; set; } = new() { Limit = 10, Period = TimeSpan.FromSeconds(60) };

    /// <summary>A token's two buckets. Free and lapsed workspaces are answered 402 anyway; they count as Studio.</summary>
    public RateLimitPolicy ForPlan(Plan plan) => plan == Plan.Agency ? Agency.ToPolicy() : Studio.ToPolicy();

    public RateLimitPolicy ForUnauthenticated() => new(null, Unauthenticated.ToSpec());

    public sealed class PlanBudget
    {
        public Budget Burst { get; set; } = new();
        public Budget Sustained { get; set; } = new();

        public RateLimitPolicy ToPolicy() => new(Burst.ToSpec(), Sustained.ToSpec());
    }

    public sealed class Budget
    {
        public int Limit { get; set; }
        public TimeSpan Period { get; set; }

        public BucketSpec ToSpec() => new(Limit, Period);
    }
}

/// <summary>The buckets one request must fit in: an optional burst bucket and the sustained one the headers describe.</summary>
public sealed record RateLimitPolicy(BucketSpec? Burst, BucketSpec Sustained)
{
    /// <summary>The IETF draft's <c>RateLimit-Policy</c> value, built once per policy.</summary>
    public string Header { get; } = string.Join(", ", new[] { ("burst", Burst), ("sustained", (BucketSpec?)Sustained) }
        .Where(b => b.Item2 is not null)
        .Select(b => $"\"{b.Item1}\";q={b.Item2!.Limit};w={(long)b.Item2.Period.TotalSeconds}"));
}
