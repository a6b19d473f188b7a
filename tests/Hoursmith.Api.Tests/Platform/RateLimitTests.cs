using System.Net;
using System.Net.Http.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.RateLimiting;
using Hoursmith.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>The real application with rate limits on and a clock the test moves.</summary>
public class RateLimitedFactory : ApiFactory
{
    public RateLimitedFactory() : this(new Dictionary<string, string?>(), new FakeClock(DateTimeOffset.UtcNow))
    {
    }

    /// <param name="clock">Instances that share a Redis share one clock (as NTP-synced hosts would).</param>
    protected RateLimitedFactory(IDictionary<string, string?> overrides, FakeClock clock)
        : base(new Dictionary<string, string?>(overrides) { ["RateLimits:Enabled"] = "true" }) => Clock = clock;

    public FakeClock Clock { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Per-token buckets (conventions.md, Rate limits): burst and sustained, headers, 429s.</summary>
public class RateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    private async Task<(TestWorkspace Workspace, HttpClient Client)> TokenAsync(Plan plan = Plan.Studio, Role role = Role.Owner)
    {
        var workspace = await factory.CreateWorkspaceAsync(plan);
        var (_, token) = await workspace.TokenForRoleAsync(role);
        return (workspace, workspace.Client(token));
    }

    private static async Task<int> CountUntilRefusedAsync(HttpClient client, int atMost = 200)
    {
        for (var i = 0; i < atMost; i++)
        {
            if ((await client.GetAsync("/api/v1/me")).StatusCode == HttpStatusCode.TooManyRequests)
            {
                return i;
            }
        }

        return atMost;
    }

    [Fact]
    public async Task The_31st_request_in_10_seconds_on_a_studio_token_is_429()
    {
        var (_, client) = await TokenAsync(Plan.Studio);

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        }

        var refused = await client.GetAsync("/api/v1/me");

        var error = await refused.AssertErrorAsync(429, "rate_limited");
        Assert.Equal("Too many requests.", error.GetProperty("message").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("0", Assert.Single(refused.Headers.GetValues("X-RateLimit-Remaining")));
    }

    [Fact]
    public async Task An_agency_token_gets_60_and_a_studio_token_30()
    {
        var (_, agency) = await TokenAsync(Plan.Agency);
        var (_, studio) = await TokenAsync(Plan.Studio);

        Assert.Equal(60, await CountUntilRefusedAsync(agency));
        Assert.Equal(30, await CountUntilRefusedAsync(studio));
    }

    [Fact]
    public async Task Waiting_the_retry_after_seconds_lets_the_next_request_through()
    {
        var (_, client) = await TokenAsync();
        Assert.Equal(30, await CountUntilRefusedAsync(client));
        var refused = await client.GetAsync("/api/v1/me");
        var wait = refused.Headers.RetryAfter!.Delta!.Value;

        factory.Clock.Advance(wait);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Every_response_carries_the_sustained_budget_headers()
    {
        var (workspace, owner) = await TokenAsync();
        var (_, member) = await workspace.TokenForRoleAsync(Role.Member);
        var now = factory.Clock.GetUtcNow().ToUnixTimeSeconds();

        var ok = await owner.GetAsync("/api/v1/me");
        var forbidden = await workspace.Client(member).GetAsync("/api/v1/clients");

        foreach (var response in new[] { ok, forbidden })
        {
            Assert.Equal("600", Assert.Single(response.Headers.GetValues("X-RateLimit-Limit")));
            var reset = long.Parse(Assert.Single(response.Headers.GetValues("X-RateLimit-Reset")), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(reset, now, now + 61);
            Assert.Equal("\"burst\";q=30;w=10, \"sustained\";q=600;w=60", Assert.Single(response.Headers.GetValues("RateLimit-Policy")));
            Assert.StartsWith("\"burst\";r=", Assert.Single(response.Headers.GetValues("RateLimit")));
        }

        Assert.Equal("599", Assert.Single(ok.Headers.GetValues("X-RateLimit-Remaining")));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task A_lapsed_workspace_still_gets_402_with_the_headers()
    {
        var (workspace, client) = await TokenAsync();
        await factory.WithAdminAsync(admin => admin.SetPlanAsync(workspace.Id, null, PlanStatus.Lapsed));

        var response = await client.GetAsync("/api/v1/me");

        await response.AssertErrorAsync(402, "forbidden_plan");
        Assert.True(response.Headers.Contains("X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task A_refused_request_is_not_executed()
    {
        var (workspace, client) = await TokenAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 35; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/clients", new { name = $"Client {i}" })).StatusCode);
        }

        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(30, await factory.WithDbAsync(db => db.Clients.CountAsync(c => c.WorkspaceId == workspace.Id)));
    }

    [Fact]
    public async Task Eight_parallel_clients_on_one_token_get_exactly_what_the_algorithm_allows()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        var clients = Enumerable.Range(0, 8).Select(_ => workspace.Client(token)).ToList();
        var step = TimeSpan.FromMilliseconds(100);

        // The documented algorithm, run alone on the same instants: each instant, take until refused.
        var policy = new RateLimitPolicy(new BucketSpec(30, TimeSpan.FromSeconds(10)), new BucketSpec(600, TimeSpan.FromSeconds(60)));
        long burstTat = 0, sustainedTat = 0, expected = 0;
        var start = factory.Clock.GetUtcNow().UtcTicks;
        for (var i = 0; i <= 100; i++)
        {
            while (InMemoryRateLimitStore.Decide(ref burstTat, ref sustainedTat, policy, start + (i * step.Ticks)).Allowed)
            {
                expected++;
            }
        }

        // The same 10 seconds over HTTP: at each instant all 8 clients hammer until each is refused.
        var successes = 0;
        for (var i = 0; i <= 100; i++)
        {
            var counts = await Task.WhenAll(clients.Select(async client =>
            {
                var ok = 0;
                while ((await client.GetAsync("/api/v1/me")).StatusCode == HttpStatusCode.OK)
                {
                    ok++;
                }

                return ok;
            }));
            successes += counts.Sum();
            factory.Clock.Advance(step);
        }

        Assert.Equal(30 + 30, expected); // burst 30, then 3 a second for 10 s
        Assert.Equal(expected, successes);
    }
}

/// <summary>Requests without a valid token spend their client IP's budget: 10 a minute.</summary>
public class UnauthenticatedRateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    [Fact]
    public async Task The_11th_bad_token_request_from_one_ip_is_429_while_a_valid_token_is_unaffected()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        using var guesser = factory.ClientWith("hsk_test_0123456789ab_" + new string('x', 32));
        using var valid = workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);

        for (var i = 0; i < 10; i++)
        {
            var unauthorized = await guesser.GetAsync("/api/v1/me");
            await unauthorized.AssertErrorAsync(401, "unauthenticated");
            Assert.Equal("10", Assert.Single(unauthorized.Headers.GetValues("X-RateLimit-Limit")));
        }

        var refused = await guesser.GetAsync("/api/v1/me");
        await refused.AssertErrorAsync(429, "rate_limited");
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await (await factory.ClientWith(null).GetAsync("/api/v1/me")).AssertErrorAsync(429, "rate_limited");

        // The same IP with a valid token is limited by its token, not by the IP.
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("/api/v1/me")).StatusCode);
        // Public endpoints are not limited.
        Assert.Equal(HttpStatusCode.OK, (await guesser.GetAsync("/health")).StatusCode);
    }
}
