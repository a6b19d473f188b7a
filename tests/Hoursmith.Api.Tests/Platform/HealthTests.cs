using System.Net;
using System.Text.Json;
using Hoursmith.Api.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The probes (README, "Operating it"): <c>/health/live</c> answers while the process does; <c>/health/ready</c>
/// (and <c>/health</c>, the same answer) is 503 while the database does not answer and "degraded" but 200
/// while a configured Redis does not; reports are reused for <c>Health:CacheDuration</c>.
/// </summary>
public class HealthTests
{
    /// <summary>A server whose readiness is checked on every probe (no reuse), unless <paramref name="cacheDuration"/> says otherwise.</summary>
    private sealed class HealthFactory(string cacheDuration = "00:00:00", string? redis = null, bool requireHttps = false) : ApiFactory(Settings(cacheDuration, redis, requireHttps))
    {
        private static Dictionary<string, string?> Settings(string cacheDuration, string? redis, bool requireHttps)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Health:CacheDuration"] = cacheDuration,
                ["Hoursmith:RequireHttps"] = requireHttps ? "true" : "false",
            };
            if (redis is not null)
            {
                settings["Redis:Configuration"] = redis;
                // The production default: a probe of a Redis that is away gives up soon.
                settings["Redis:TimeoutMilliseconds"] = "250";
            }

            return settings;
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(ApiFactory factory, string path)
    {
        var response = await factory.ClientWith(null).GetAsync(path);
        return (response.StatusCode, await response.ReadJsonAsync());
    }

    private static void AssertReadiness((HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode status, string overall, string database, string? redis)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(overall, answer.Body.GetProperty("status").GetString());
        var checks = answer.Body.GetProperty("checks");
        Assert.Equal(database, checks.GetProperty("database").GetString());
        if (redis is null)
        {
            Assert.False(checks.TryGetProperty("redis", out _));
        }
        else
        {
            Assert.Equal(redis, checks.GetProperty("redis").GetString());
        }
    }

    /// <summary>What the run's Redis check says when all is well: absent without Redis.</summary>
    private static string? RedisWhenUp => TestRedis.FromEnvironment is null ? null : "ok";

    [Fact]
    public async Task Live_ready_and_health_answer_ok_without_a_token()
    {
        await using var factory = new HealthFactory();

        var live = await GetAsync(factory, "/health/live");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Equal("""{"status":"ok"}""", live.Body.GetRawText());
        AssertReadiness(await GetAsync(factory, "/health/ready"), HttpStatusCode.OK, "ok", "ok", RedisWhenUp);
        AssertReadiness(await GetAsync(factory, "/health"), HttpStatusCode.OK, "ok", "ok", RedisWhenUp);
    }

    [Fact]
    public async Task With_the_database_down_ready_is_503_and_live_is_200()
    {
        await using var factory = new HealthFactory();
        AssertReadiness(await GetAsync(factory, "/health/ready"), HttpStatusCode.OK, "ok", "ok", RedisWhenUp);

        await using (await UnreachableDatabase.MakeAsync(factory.Database))
        {
            AssertReadiness(await GetAsync(factory, "/health/ready"), HttpStatusCode.ServiceUnavailable, "unavailable", "unavailable", RedisWhenUp);
            AssertReadiness(await GetAsync(factory, "/health"), HttpStatusCode.ServiceUnavailable, "unavailable", "unavailable", RedisWhenUp);
            var live = await GetAsync(factory, "/health/live");
            Assert.Equal(HttpStatusCode.OK, live.Status);
            Assert.Equal("ok", live.Body.GetProperty("status").GetString());
        }

        // And ready again once the database is back.
        AssertReadiness(await GetAsync(factory, "/health/ready"), HttpStatusCode.OK, "ok", "ok", RedisWhenUp);
    }

    [Fact]
    public async Task With_redis_down_ready_is_degraded_but_200_and_live_is_200()
    {
        // Nothing listens on this port.
        await using var redis = RedisServer.Reserve();
        await using var factory = new HealthFactory(redis: redis.Configuration);

        AssertReadiness(await GetAsync(factory, "/health/ready"), HttpStatusCode.OK, "degraded", "ok", "unavailable");
        AssertReadiness(await GetAsync(factory, "/health"), HttpStatusCode.OK, "degraded", "ok", "unavailable");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(factory, "/health/live")).Status);
    }

    [Fact]
    public async Task A_ready_report_is_reused_within_the_cache_duration()
    {
        await using var factory = new HealthFactory(cacheDuration: "01:00:00");
        AssertReadiness(await GetAsync(factory, "/health/ready"), HttpStatusCode.OK, "ok", "ok", RedisWhenUp);

        await using (await UnreachableDatabase.MakeAsync(factory.Database))
        {
            // Probes within the hour are answered from the first report: the database is not asked again.
            AssertReadiness(await GetAsync(factory, "/health/ready"), HttpStatusCode.OK, "ok", "ok", RedisWhenUp);
            AssertReadiness(await GetAsync(factory, "/health"), HttpStatusCode.OK, "ok", "ok", RedisWhenUp);
        }
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Probes_may_use_plain_http_where_https_is_required(string path)
    {
        await using var factory = new HealthFactory(requireHttps: true);

        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(null, "http://localhost").GetAsync(path)).StatusCode);
        // While the API itself is refused over plain HTTP.
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.ClientWith(null, "http://localhost").GetAsync("/api/openapi.json")).StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Probes_may_use_any_host_in_production(string path)
    {
        await using var factory = new ProductionWithPublicUrlFactory();

        Assert.Equal(HttpStatusCode.OK, (await OpenApiTests.GetWithHostAsync(factory, path, "10.0.0.5:5080")).StatusCode);
        // While the API itself answers only for its own host.
        Assert.Equal(HttpStatusCode.BadRequest, (await OpenApiTests.GetWithHostAsync(factory, "/api/openapi.json", "10.0.0.5:5080")).StatusCode);
    }

    /// <summary>
    /// Takes a running server's database away until disposed: the SQLite file is replaced by a directory
    /// (nothing can open it), PostgreSQL refuses connections to the database and ends the open ones.
    /// </summary>
    private sealed class UnreachableDatabase : IAsyncDisposable
    {
        private readonly TempDatabase _database;
        private readonly string? _movedTo;

        private UnreachableDatabase(TempDatabase database, string? movedTo) => (_database, _movedTo) = (database, movedTo);

        public static async Task<UnreachableDatabase> MakeAsync(TempDatabase database)
        {
            if (!TempDatabase.IsPostgres)
            {
                SqliteConnection.ClearAllPools();
                var movedTo = database.Path + ".away";
                Directory.CreateDirectory(movedTo);
                foreach (var file in database.Files.ToList())
                {
                    File.Move(file, Path.Combine(movedTo, Path.GetFileName(file)));
                }

                Directory.CreateDirectory(database.Path!);
                return new UnreachableDatabase(database, movedTo);
            }

            await ServerCommandAsync($"""
                ALTER DATABASE "{database.Name}" ALLOW_CONNECTIONS false;
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database.Name}' AND pid <> pg_backend_pid();
                """);
            NpgsqlConnection.ClearAllPools();
            return new UnreachableDatabase(database, null);
        }

        public async ValueTask DisposeAsync()
        {
            if (_movedTo is null)
            {
                await ServerCommandAsync($"""ALTER DATABASE "{_database.Name}" ALLOW_CONNECTIONS true;""");
                return;
            }

            Directory.Delete(_database.Path!);
            foreach (var file in Directory.GetFiles(_movedTo))
            {
                File.Move(file, Path.Combine(Path.GetDirectoryName(_database.Path)!, Path.GetFileName(file)));
            }

            Directory.Delete(_movedTo);
        }

        private static async Task ServerCommandAsync(string sql)
        {
            await using var server = new NpgsqlConnection(TempDatabase.PostgresServer);
            await server.OpenAsync();
            await using var command = server.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
