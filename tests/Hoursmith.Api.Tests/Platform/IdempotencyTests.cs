using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Idempotency;
using Hoursmith.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>Every POST is exactly-once under its <c>Idempotency-Key</c> (conventions.md, Idempotency).</summary>
public class IdempotencyTests(IdempotencyTests.FailingWriteFactory factory) : IClassFixture<IdempotencyTests.FailingWriteFactory>
{
    private async Task<(TestWorkspace Workspace, HttpClient Raw)> OwnerAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        return (workspace, factory.ClientWith(token, idempotencyKeys: false));
    }

    private static HttpRequestMessage Post(string path, string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private Task<int> ClientsNamedAsync(Guid workspaceId, string name) =>
        factory.WithDbAsync(db => db.Clients.IgnoreQueryFilters().CountAsync(c => c.WorkspaceId == workspaceId && c.Name == name));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    public async Task A_post_without_a_key_is_422_and_creates_nothing(string? key, string reason)
    {
        var (workspace, client) = await OwnerAsync();

        var response = await client.SendAsync(Post("/api/v1/clients", """{"name":"Keyless"}""", key));

        var error = await response.AssertErrorAsync(422, "validation_error");
        Assert.Equal(reason, error.GetProperty("fields").GetProperty("Idempotency-Key").GetString());
        Assert.Equal(0, await ClientsNamedAsync(workspace.Id, "Keyless"));
    }

    [Fact]
    public async Task An_over_long_key_is_422_too_long()
    {
        var (workspace, client) = await OwnerAsync();

        var response = await client.SendAsync(Post("/api/v1/clients", """{"name":"Long"}""", new string('k', 256)));

        Assert.Equal("too_long", (await response.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("Idempotency-Key").GetString());
        Assert.Equal(0, await ClientsNamedAsync(workspace.Id, "Long"));
        Assert.Equal(201, (int)(await client.SendAsync(Post("/api/v1/clients", """{"name":"Long"}""", new string('k', 255)))).StatusCode);
    }

    [Fact]
    public async Task A_retry_replays_the_first_response_and_creates_nothing_twice()
    {
        var (workspace, client) = await OwnerAsync();
        var key = Guid.NewGuid().ToString();

        var first = await client.SendAsync(Post("/api/v1/clients", """{"name":"Once","currency":"USD"}""", key));
        // The same request, its fields in another order and spaced differently.
        var retry = await client.SendAsync(Post("/api/v1/clients", """{ "currency": "USD",  "name": "Once" }""", key));

        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(201, (int)retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(1, await ClientsNamedAsync(workspace.Id, "Once"));
    }

    [Fact]
    public async Task Time_entries_are_logged_once_per_key()
    {
        var (workspace, client) = await OwnerAsync();
        var clientId = (await (await client.SendAsync(Post("/api/v1/clients", """{"name":"Acme"}""", "c1"))).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
        var projectId = (await (await client.SendAsync(Post("/api/v1/projects", $$"""{"clientId":"{{clientId}}","name":"Site"}""", "p1"))).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
        var entry = $$"""{"projectId":"{{projectId}}","entryDate":"2026-11-20","duration":"1h30m","note":"Design"}""";

        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(201, (int)(await client.SendAsync(Post("/api/v1/time-entries", entry, "log-1"))).StatusCode);
        }

        Assert.Equal(1, await factory.WithDbAsync(db => db.TimeEntries.CountAsync(e => e.WorkspaceId == workspace.Id)));
    }

    [Fact]
    public async Task The_same_key_for_another_body_or_path_is_409()
    {
        var (workspace, client) = await OwnerAsync();
        const string key = "reused-key";
        Assert.Equal(201, (int)(await client.SendAsync(Post("/api/v1/clients", """{"name":"First"}""", key))).StatusCode);

        var otherBody = await client.SendAsync(Post("/api/v1/clients", """{"name":"Second"}""", key));
        var otherPath = await client.SendAsync(Post("/api/v1/tasks", """{"name":"First"}""", key));

        Assert.Contains("different request", (await otherBody.AssertErrorAsync(409, "conflict")).GetProperty("message").GetString());
        await otherPath.AssertErrorAsync(409, "conflict");
        Assert.Equal(0, await ClientsNamedAsync(workspace.Id, "Second"));
    }

    [Fact]
    public async Task Keys_are_scoped_to_the_workspace()
    {
        var (mine, myClient) = await OwnerAsync();
        var (theirs, theirClient) = await OwnerAsync();

        Assert.Equal(201, (int)(await myClient.SendAsync(Post("/api/v1/clients", """{"name":"Shared key"}""", "same-key"))).StatusCode);
        var other = await theirClient.SendAsync(Post("/api/v1/clients", """{"name":"Shared key"}""", "same-key"));

        Assert.Equal(201, (int)other.StatusCode);
        Assert.False(other.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await ClientsNamedAsync(mine.Id, "Shared key"));
        Assert.Equal(1, await ClientsNamedAsync(theirs.Id, "Shared key"));
    }

    [Fact]
    public async Task A_validation_error_is_stored_and_replayed()
    {
        var (_, client) = await OwnerAsync();

        var first = await client.SendAsync(Post("/api/v1/clients", """{"email":"not an email"}""", "bad-1"));
        var retry = await client.SendAsync(Post("/api/v1/clients", """{"email":"not an email"}""", "bad-1"));

        await first.AssertErrorAsync(422, "validation_error");
        Assert.Equal(422, (int)retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failed_request_changes_nothing_is_not_stored_and_runs_again_on_retry()
    {
        var (workspace, client) = await OwnerAsync();

        var first = await client.SendAsync(Post(FailingWriteFactory.Route, """{"name":"Doomed"}""", "fails"));
        var retry = await client.SendAsync(Post(FailingWriteFactory.Route, """{"name":"Doomed"}""", "fails"));

        await first.AssertErrorAsync(500, "internal");
        await retry.AssertErrorAsync(500, "internal");
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(0, await ClientsNamedAsync(workspace.Id, "Doomed"));
        Assert.False(await factory.WithDbAsync(db => db.IdempotencyRecords.AnyAsync(r => r.WorkspaceId == workspace.Id && r.Key == "fails")));
    }

    [Fact]
    public async Task A_key_whose_request_is_in_flight_is_409_until_its_lease_runs_out()
    {
        var (workspace, client) = await OwnerAsync();
        var body = """{"name":"Leased"}""";
        // What a request that is still running (or crashed mid-way) leaves behind: the key, no response.
        await InsertRecordAsync(workspace.Id, workspace.OwnerId, "leased", body, lockedUntil: DateTime.UtcNow.AddMinutes(5));

        var whileHeld = await client.SendAsync(Post("/api/v1/clients", body, "leased"));

        Assert.Contains("in progress", (await whileHeld.AssertErrorAsync(409, "conflict")).GetProperty("message").GetString());
        Assert.Equal(0, await ClientsNamedAsync(workspace.Id, "Leased"));

        await factory.WithDbAsync(db => db.IdempotencyRecords.Where(r => r.WorkspaceId == workspace.Id && r.Key == "leased")
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedUntil, DateTime.UtcNow.AddSeconds(-1))));
        var afterLease = await client.SendAsync(Post("/api/v1/clients", body, "leased"));

        Assert.Equal(201, (int)afterLease.StatusCode);
        Assert.Equal(1, await ClientsNamedAsync(workspace.Id, "Leased"));
    }

    [Fact]
    public async Task Two_members_with_one_key_and_one_body_each_get_their_own_write_and_response()
    {
        var (workspace, owner) = await OwnerAsync();
        var (_, adminToken) = await workspace.TokenForRoleAsync(Role.Admin);
        var admin = factory.ClientWith(adminToken, idempotencyKeys: false);
        // A shared Zapier template that derives its key from the date: both people send the same key and body.
        const string key = "new-client-2026-12-07";
        const string body = """{"name":"Template"}""";

        var ownersFirst = await owner.SendAsync(Post("/api/v1/clients", body, key));
        var adminsFirst = await admin.SendAsync(Post("/api/v1/clients", body, key));
        var ownersRetry = await owner.SendAsync(Post("/api/v1/clients", body, key));
        var adminsRetry = await admin.SendAsync(Post("/api/v1/clients", body, key));

        Assert.Equal(201, (int)ownersFirst.StatusCode);
        Assert.Equal(201, (int)adminsFirst.StatusCode);
        Assert.False(adminsFirst.Headers.Contains("Idempotent-Replayed"));
        var ownersId = (await ownersFirst.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        var adminsId = (await adminsFirst.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        Assert.NotEqual(ownersId, adminsId);
        Assert.Equal(2, await ClientsNamedAsync(workspace.Id, "Template"));
        // Each retry replays its own sender's response, never the other's.
        Assert.Equal("true", ownersRetry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(ownersId, (await ownersRetry.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("true", adminsRetry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(adminsId, (await adminsRetry.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(2, await ClientsNamedAsync(workspace.Id, "Template"));
    }

    [Fact]
    public async Task A_key_stored_before_keys_were_per_member_is_replayed_to_no_one_and_refused_until_it_expires()
    {
        var (workspace, client) = await OwnerAsync();
        const string body = """{"name":"Legacy"}""";
        // What the migration leaves of a key stored when keys were per workspace: the owner unknown.
        await InsertRecordAsync(workspace.Id, Guid.Empty, "legacy", body, lockedUntil: null);

        var refused = await client.SendAsync(Post("/api/v1/clients", body, "legacy"));

        Assert.Contains("before keys were kept per person", (await refused.AssertErrorAsync(409, "conflict")).GetProperty("message").GetString());
        Assert.DoesNotContain("someone else", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, await ClientsNamedAsync(workspace.Id, "Legacy"));

        await factory.WithDbAsync(db => db.IdempotencyRecords.Where(r => r.WorkspaceId == workspace.Id && r.Key == "legacy")
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));
        var afterExpiry = await client.SendAsync(Post("/api/v1/clients", body, "legacy"));

        Assert.Equal(201, (int)afterExpiry.StatusCode);
        Assert.Equal(1, await ClientsNamedAsync(workspace.Id, "Legacy"));
    }

    [Fact]
    public async Task An_expired_key_is_a_new_request()
    {
        var (workspace, client) = await OwnerAsync();
        Assert.Equal(201, (int)(await client.SendAsync(Post("/api/v1/clients", """{"name":"Daily"}""", "daily"))).StatusCode);
        await factory.WithDbAsync(db => db.IdempotencyRecords.Where(r => r.WorkspaceId == workspace.Id && r.Key == "daily")
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        var again = await client.SendAsync(Post("/api/v1/clients", """{"name":"Daily"}""", "daily"));

        Assert.Equal(201, (int)again.StatusCode);
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await ClientsNamedAsync(workspace.Id, "Daily"));
    }

    [Fact]
    public async Task Twenty_concurrent_posts_with_one_key_create_one_resource()
    {
        var (workspace, client) = await OwnerAsync();
        const string body = """{"name":"Raced"}""";

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.SendAsync(Post("/api/v1/clients", body, "race-key"))));

        Assert.Equal(1, await ClientsNamedAsync(workspace.Id, "Raced"));
        var created = responses.Where(r => r.StatusCode == System.Net.HttpStatusCode.Created).ToList();
        var original = Assert.Single(created, r => !r.Headers.Contains("Idempotent-Replayed"));
        var originalBody = await original.Content.ReadAsStringAsync();
        foreach (var response in responses.Where(r => r != original))
        {
            if (response.StatusCode == System.Net.HttpStatusCode.Created)
            {
                Assert.Equal(originalBody, await response.Content.ReadAsStringAsync());
            }
            else
            {
                Assert.Contains("in progress", (await response.AssertErrorAsync(409, "conflict")).GetProperty("message").GetString());
            }
        }
    }

    [Fact]
    public async Task Gets_patches_and_deletes_need_no_key()
    {
        var (_, client) = await OwnerAsync();
        var id = (await (await client.SendAsync(Post("/api/v1/clients", """{"name":"Plain"}""", "k"))).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();

        Assert.Equal(200, (int)(await client.GetAsync($"/api/v1/clients/{id}")).StatusCode);
        Assert.Equal(200, (int)(await client.PatchAsync($"/api/v1/clients/{id}", JsonContent.Create(new { name = "Renamed" }))).StatusCode);
        Assert.Equal(204, (int)(await client.DeleteAsync($"/api/v1/clients/{id}")).StatusCode);
    }

    [Fact]
    public async Task Every_post_operation_declares_the_required_header_in_openapi()
    {
        using var client = factory.ClientWith(null);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/api/openapi.json"));

        var posts = document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(path => path.Value.TryGetProperty("post", out _) && path.Name.StartsWith("/api/v1", StringComparison.Ordinal))
            .Select(path => (path.Name, Operation: path.Value.GetProperty("post")))
            .ToList();

        Assert.NotEmpty(posts);
        foreach (var (name, operation) in posts)
        {
            var header = operation.GetProperty("parameters").EnumerateArray().SingleOrDefault(p => p.GetProperty("name").GetString() == "Idempotency-Key");
            Assert.True(header.ValueKind == JsonValueKind.Object, $"POST {name} does not declare Idempotency-Key");
            Assert.Equal("header", header.GetProperty("in").GetString());
            Assert.True(header.GetProperty("required").GetBoolean());
        }
    }

    /// <summary>A record as a request in flight leaves it (<paramref name="lockedUntil"/>), or as a finished one (null, with a response).</summary>
    private Task<int> InsertRecordAsync(Guid workspaceId, Guid memberId, string key, string json, DateTime? lockedUntil) => factory.WithDbAsync(async db =>
    {
        // The hash of the request the middleware would compute: method, path, canonical body.
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes("POST\n/api/v1/clients\n"));
        sha.AppendData(Encoding.UTF8.GetBytes(json));
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            WorkspaceId = workspaceId,
            MemberId = memberId,
            Key = key,
            RequestHash = sha.GetHashAndReset(),
            CreatedAt = DateTime.UtcNow,
            ExpiresAt = DateTime.UtcNow.AddHours(24),
            LockedUntil = lockedUntil,
            ResponseStatus = lockedUntil is null ? 201 : null,
            ResponseContentType = lockedUntil is null ? "application/json; charset=utf-8" : null,
            ResponseBody = lockedUntil is null ? Encoding.UTF8.GetBytes("""{"data":{"name":"someone else's"}}""") : null,
        });
        return await db.SaveChangesAsync();
    });

    /// <summary>The real application plus one POST route that writes a client and then fails, as a crash mid-request would.</summary>
    public sealed class FailingWriteFactory : ApiFactory
    {
        public const string Route = "/api/v1/__probe/failing-write";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FailingRoute>());
        }

        private sealed class FailingRoute : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                // The probe route is matched by this second routing step, so it gets the API's POST handling here.
                app.UseRouting();
                app.UseProbeAuthentication();
                app.UseAuthorization();
                app.UseIdempotency();
                app.UseEndpoints(endpoints => endpoints.MapPost(Route, async (Infrastructure.Auth.Caller caller, HoursmithDb db) =>
                {
                    db.Clients.Add(new Client { WorkspaceId = caller.WorkspaceId, Name = "Doomed", Currency = "EUR", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
                    await db.SaveChangesAsync();
                    throw new InvalidOperationException("Simulated failure after the write.");
                }).RequireAuthorization());
            };
        }
    }
}
