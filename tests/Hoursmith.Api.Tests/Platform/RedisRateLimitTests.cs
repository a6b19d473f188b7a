using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hoursmith.Api.Infrastructure.RateLimiting;
using Hoursmith.Api.Infrastructure.Redis;
using Hoursmith.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// One instance of the application on a given Redis, key prefix, clock and (optionally) another instance's
/// database; Redis calls time out after <paramref name="redisTimeoutMilliseconds"/> (default: <see cref="TestRedis.TimeoutMilliseconds"/>).
/// </summary>
public sealed class RedisInstanceFactory(string redis, string keyPrefix, FakeClock clock, string? connectionString = null, int? redisTimeoutMilliseconds = null)
    : RateLimitedFactory(Overrides(redis, keyPrefix, connectionString, redisTimeoutMilliseconds), clock)
{
    private static Dictionary<string, string?> Overrides(string redis, string keyPrefix, string? connectionString, int? redisTimeoutMilliseconds)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis,
            ["Redis:KeyPrefix"] = keyPrefix,
            ["Redis:TimeoutMilliseconds"] = redisTimeoutMilliseconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? TestRedis.TimeoutMilliseconds,
        };
        if (connectionString is not null)
        {
            overrides["ConnectionStrings:Hoursmith"] = connectionString;
        }

        return overrides;
    }

    /// <summary>Log lines of the Redis connection at <paramref name="level"/>.</summary>
    public int RedisLogLines(string level) => Logs.Entries.Count(e => e.StartsWith($"{level} {typeof(RedisConnection).FullName}:", StringComparison.Ordinal));
}

/// <summary>
/// Rate limits shared through Redis (docs/rate-limits.md): instances on one Redis spend one budget;
/// with Redis away each instance limits on its own and says so on /health; sharing resumes by itself.
/// </summary>
public class RedisRateLimitTests
{
    /// <summary>Two instances over one database and one Redis (same key prefix), on one clock the test moves.</summary>
    private sealed class TwoInstances : IAsyncDisposable
    {
        public TwoInstances(string redis)
        {
            var prefix = TestRedis.UniquePrefix();
            var clock = new FakeClock(DateTimeOffset.UtcNow);
            A = new RedisInstanceFactory(redis, prefix, clock);
            B = new RedisInstanceFactory(redis, prefix, clock, A.ConnectionString);
        }

        public RedisInstanceFactory A { get; }

        public RedisInstanceFactory B { get; }

        /// <summary>A new Studio token, and a client for it on each instance.</summary>
        public async Task<(HttpClient OnA, HttpClient OnB)> NewTokenAsync()
        {
            var workspace = await A.CreateWorkspaceAsync();
            var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
            return (A.ClientWith(token), B.ClientWith(token));
        }

        public async ValueTask DisposeAsync()
        {
            await B.DisposeAsync();
            await A.DisposeAsync();
        }
    }

    /// <summary>Requests taken in turn from <paramref name="clients"/> (the clock stands still) until the first 429.</summary>
    private static async Task<int> AllowedUntilRefusedAsync(params HttpClient[] clients)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await clients[i % clients.Length].GetAsync("/api/v1/me")).StatusCode == HttpStatusCode.TooManyRequests)
            {
                return i;
            }
        }

        return 200;
    }

    private static async Task<JsonElement> HealthAsync(ApiFactory factory)
    {
        var response = await factory.ClientWith(null).GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static async Task WaitUntilHealthyAsync(ApiFactory factory)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var health = await HealthAsync(factory);
            if (health.GetProperty("status").GetString() == "ok")
            {
                return;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"Redis not back in use after 60 s: {health}");
            await Task.Delay(100);
        }
    }

    private static void AssertHealth(JsonElement health, string status, string redis)
    {
        Assert.Equal(status, health.GetProperty("status").GetString());
        Assert.Equal("ok", health.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal(redis, health.GetProperty("checks").GetProperty("redis").GetString());
    }

    [Fact]
    public async Task Two_instances_on_one_redis_share_one_studio_budget()
    {
        await using var instances = new TwoInstances(TestRedis.Shared);
        var (onA, onB) = await instances.NewTokenAsync();

        for (var i = 0; i < 15; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/api/v1/me")).StatusCode);
        }

        HttpResponseMessage last = null!;
        for (var i = 0; i < 15; i++)
        {
            last = await onB.GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }

        // B's headers count A's requests too: 30 of 600 spent.
        Assert.Equal("570", Assert.Single(last.Headers.GetValues("X-RateLimit-Remaining")));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await onA.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await onB.GetAsync("/api/v1/me")).StatusCode);

        // One emission later (10 s / 30) exactly one more request fits, on either instance.
        instances.A.Clock.Advance(TimeSpan.FromTicks(TimeSpan.FromSeconds(10).Ticks / 30));
        Assert.Equal(1, await AllowedUntilRefusedAsync(onB, onA));

        AssertHealth(await HealthAsync(instances.A), "ok", "ok");
        AssertHealth(await HealthAsync(instances.B), "ok", "ok");
    }

    [Fact]
    public async Task While_redis_is_down_each_instance_limits_on_its_own_and_sharing_resumes_when_it_is_back()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var instances = new TwoInstances(redis.Configuration);
        // Shared counting starts once each instance has connected; a request before that counts in memory.
        await WaitUntilHealthyAsync(instances.A);
        await WaitUntilHealthyAsync(instances.B);
        var (a, b) = await instances.NewTokenAsync();
        Assert.Equal(30, await AllowedUntilRefusedAsync(a, b));

        await redis.StopAsync();

        // Still served, and still limited: 30 on each instance, counted in its own memory.
        var (aloneOnA, aloneOnB) = await instances.NewTokenAsync();
        Assert.Equal(30, await AllowedUntilRefusedAsync(aloneOnA));
        Assert.Equal(30, await AllowedUntilRefusedAsync(aloneOnB));
        AssertHealth(await HealthAsync(instances.A), "degraded", "unavailable");
        AssertHealth(await HealthAsync(instances.B), "degraded", "unavailable");

        await redis.StartAgainAsync();
        await WaitUntilHealthyAsync(instances.A);
        await WaitUntilHealthyAsync(instances.B);

        var (sharedOnA, sharedOnB) = await instances.NewTokenAsync();
        Assert.Equal(30, await AllowedUntilRefusedAsync(sharedOnA, sharedOnB));
        AssertHealth(await HealthAsync(instances.A), "ok", "ok");

        // One warning when Redis went away and one line when it was back, not one per request.
        foreach (var instance in new[] { instances.A, instances.B })
        {
            Assert.Equal(1, instance.RedisLogLines("Warning"));
            Assert.Equal(1, instance.RedisLogLines("Information"));
        }
    }

    [Fact]
    public async Task A_hung_redis_does_not_stall_requests()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var factory = new RedisInstanceFactory(redis.Configuration, TestRedis.UniquePrefix(), new FakeClock(DateTimeOffset.UtcNow), redisTimeoutMilliseconds: new RedisOptions().TimeoutMilliseconds);
        var workspace = await factory.CreateWorkspaceAsync();
        var client = factory.ClientWith((await workspace.MintAsync(workspace.OwnerId)).Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        await redis.PauseAsync();

        // Each call gives up after Redis:TimeoutMilliseconds; then the instance counts alone (its memory has not seen the first request).
        Assert.Equal(30, await AllowedUntilRefusedAsync(client));
        AssertHealth(await HealthAsync(factory), "degraded", "unavailable");

        await redis.ResumeAsync();
        await WaitUntilHealthyAsync(factory);
        Assert.Equal(1, factory.RedisLogLines("Warning"));
        Assert.Equal(1, factory.RedisLogLines("Information"));
    }

    [Fact]
    public async Task An_instance_starts_and_serves_while_redis_is_down_and_uses_it_once_it_is_up()
    {
        await using var redis = RedisServer.Reserve();
        await using var factory = new RedisInstanceFactory(redis.Configuration, TestRedis.UniquePrefix(), new FakeClock(DateTimeOffset.UtcNow));
        var workspace = await factory.CreateWorkspaceAsync();
        var client = factory.ClientWith((await workspace.MintAsync(workspace.OwnerId)).Token);

        Assert.Equal(30, await AllowedUntilRefusedAsync(client));
        AssertHealth(await HealthAsync(factory), "degraded", "unavailable");

        await redis.StartAgainAsync();
        await WaitUntilHealthyAsync(factory);

        // A new token's buckets now live in Redis: spent from the one Redis the test started.
        var token = await workspace.MintAsync(workspace.OwnerId);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(token.Token).GetAsync("/api/v1/me")).StatusCode);
        var connection = factory.Services.GetRequiredService<RedisConnection>();
        Assert.True(await connection.Database.KeyExistsAsync(RedisRateLimitStore.KeyOf(RateLimitKey.ForToken(token.Record.Id))));
    }

    [Fact]
    public async Task Health_reports_no_redis_check_when_redis_is_not_configured()
    {
        await using var factory = new UnsharedFactory();

        var health = await HealthAsync(factory);

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("ok", health.GetProperty("checks").GetProperty("database").GetString());
        Assert.False(health.GetProperty("checks").TryGetProperty("redis", out _));
    }

    /// <summary>One instance without Redis, whatever the test run's HOURSMITH_TEST_REDIS says.</summary>
    private sealed class UnsharedFactory() : ApiFactory(new Dictionary<string, string?> { ["Redis:Configuration"] = "" });
}
