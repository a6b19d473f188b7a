using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Idempotency;
using Hoursmith.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The key is claimed inside the request's own transaction: a second request while the first runs is
/// 409, and a request whose transaction rolls back leaves neither its changes nor its key behind.
/// </summary>
public class IdempotencyInFlightTests(IdempotencyInFlightTests.ProbeFactory factory) : IClassFixture<IdempotencyInFlightTests.ProbeFactory>
{
    private async Task<(Guid WorkspaceId, HttpClient Client)> OwnerAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        return (workspace.Id, factory.ClientWith(token, idempotencyKeys: false));
    }

    private static HttpRequestMessage Post(string path, string name, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent($$"""{"name":"{{name}}"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private Task<int> ClientsNamedAsync(Guid workspaceId, string name) =>
        factory.WithDbAsync(db => db.Clients.IgnoreQueryFilters().CountAsync(c => c.WorkspaceId == workspaceId && c.Name == name));

    private Task<bool> KeyStoredAsync(Guid workspaceId, string key) =>
        factory.WithDbAsync(db => db.IdempotencyRecords.AnyAsync(r => r.WorkspaceId == workspaceId && r.Key == key));

    [Fact]
    public async Task A_second_request_while_the_first_still_runs_is_409_and_a_retry_after_it_replays()
    {
        var (workspaceId, client) = await OwnerAsync();
        var gate = factory.GateFor("Held");

        var first = client.SendAsync(Post(ProbeFactory.HeldRoute, "Held", "held-key"));
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The first request has written its client and holds the key, uncommitted.
        var whileRunning = await client.SendAsync(Post(ProbeFactory.HeldRoute, "Held", "held-key"));
        gate.Release.SetResult();
        var original = await first;
        var retry = await client.SendAsync(Post(ProbeFactory.HeldRoute, "Held", "held-key"));

        Assert.Contains("in progress", (await whileRunning.AssertErrorAsync(409, "conflict")).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Created, original.StatusCode);
        Assert.False(original.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(await original.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, await ClientsNamedAsync(workspaceId, "Held"));
        Assert.Equal(1, gate.Runs);
    }

    [Fact]
    public async Task A_request_that_answers_409_rolls_back_with_its_key_and_its_retry_runs_again()
    {
        var (workspaceId, client) = await OwnerAsync();

        var first = await client.SendAsync(Post(ProbeFactory.ConflictingRoute, "Refused", "refused-key"));
        var retry = await client.SendAsync(Post(ProbeFactory.ConflictingRoute, "Refused", "refused-key"));

        await first.AssertErrorAsync(409, "conflict");
        await retry.AssertErrorAsync(409, "conflict");
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(0, await ClientsNamedAsync(workspaceId, "Refused"));
        Assert.False(await KeyStoredAsync(workspaceId, "refused-key"));
    }

    [Fact]
    public async Task Storing_a_4xx_response_saves_nothing_the_endpoint_left_unsaved()
    {
        var (workspaceId, client) = await OwnerAsync();

        var first = await client.SendAsync(Post(ProbeFactory.UnsavedRoute, "Unsaved", "unsaved-key"));
        var retry = await client.SendAsync(Post(ProbeFactory.UnsavedRoute, "Unsaved", "unsaved-key"));

        await first.AssertErrorAsync(422, "validation_error");
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.True(await KeyStoredAsync(workspaceId, "unsaved-key"));
        Assert.Equal(0, await ClientsNamedAsync(workspaceId, "Unsaved"));
    }

    [Fact]
    public async Task A_request_whose_client_hangs_up_after_it_began_still_commits_and_its_retry_replays()
    {
        var (workspaceId, client) = await OwnerAsync();
        var gate = factory.GateFor("Abandoned");
        using var hangUp = new CancellationTokenSource();

        var first = client.SendAsync(Post(ProbeFactory.SaveAfterGateRoute, "Abandoned", "abandoned-key"), hangUp.Token);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The client gives up while the request runs, before its write is saved.
        await hangUp.CancelAsync();
        gate.Release.SetResult();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await gate.Finished.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var retry = await RetryUntilStoredAsync(client, () => Post(ProbeFactory.SaveAfterGateRoute, "Abandoned", "abandoned-key"));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(1, await ClientsNamedAsync(workspaceId, "Abandoned"));
        Assert.Equal(1, gate.Runs);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.StartsWith("Error", StringComparison.Ordinal) && e.Contains("abandoned", StringComparison.OrdinalIgnoreCase) || e.Contains("An error occurred using a transaction", StringComparison.Ordinal));
    }

    /// <summary>The retry, sent again while the abandoned request is still committing (409 in progress).</summary>
    private static async Task<HttpResponseMessage> RetryUntilStoredAsync(HttpClient client, Func<HttpRequestMessage> request)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await client.SendAsync(request());
            if (response.StatusCode != HttpStatusCode.Conflict || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Lets a test hold a probe request after its write, while it sends another.</summary>
    public sealed class Gate
    {
        private int _runs;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Runs => _runs;
        internal void Ran() => Interlocked.Increment(ref _runs);
    }

    /// <summary>The real application plus POST routes that write a client and then wait, refuse with 409, or leave it unsaved.</summary>
    public sealed class ProbeFactory : ApiFactory
    {
        public const string HeldRoute = "/api/v1/__probe/held-write";
        public const string ConflictingRoute = "/api/v1/__probe/conflicting-write";
        public const string UnsavedRoute = "/api/v1/__probe/unsaved-write";
        public const string SaveAfterGateRoute = "/api/v1/__probe/save-after-gate";

        private readonly ConcurrentDictionary<string, Gate> _gates = new();

        public Gate GateFor(string name) => _gates.GetOrAdd(name, _ => new Gate());

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ProbeRoutes(this)));
        }

        private sealed record NameBody(string Name);

        private static Client NewClient(Infrastructure.Auth.Caller caller, string name) =>
            new() { WorkspaceId = caller.WorkspaceId, Name = name, Currency = "EUR", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };

        private sealed class ProbeRoutes(ProbeFactory factory) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                // The probe routes are matched by this second routing step, so they get the API's POST handling here.
                app.UseRouting();
                app.UseProbeAuthentication();
                app.UseAuthorization();
                app.UseIdempotency();
                app.UseEndpoints(endpoints =>
                {
                    endpoints.MapPost(HeldRoute, async (NameBody body, Infrastructure.Auth.Caller caller, HoursmithDb db) =>
                    {
                        var client = NewClient(caller, body.Name);
                        db.Clients.Add(client);
                        await db.SaveChangesAsync();
                        var gate = factory.GateFor(body.Name);
                        gate.Ran();
                        gate.Entered.TrySetResult();
                        await gate.Release.Task;
                        return Results.Created($"/api/v1/clients/{client.Id}", new { data = new { id = client.Id, name = client.Name } });
                    }).RequireAuthorization();
                    endpoints.MapPost(SaveAfterGateRoute, async (NameBody body, Infrastructure.Auth.Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
                    {
                        var client = NewClient(caller, body.Name);
                        db.Clients.Add(client);
                        var gate = factory.GateFor(body.Name);
                        gate.Ran();
                        gate.Entered.TrySetResult();
                        await gate.Release.Task;
                        // Saved with the request's own token, as every endpoint does.
                        await db.SaveChangesAsync(cancellationToken);
                        gate.Finished.TrySetResult();
                        return Results.Created($"/api/v1/clients/{client.Id}", new { data = new { id = client.Id, name = client.Name } });
                    }).RequireAuthorization();
                    endpoints.MapPost(ConflictingRoute, async (NameBody body, Infrastructure.Auth.Caller caller, HoursmithDb db) =>
                    {
                        db.Clients.Add(NewClient(caller, body.Name));
                        await db.SaveChangesAsync();
                        return ApiErrors.Conflict("Refused after the write.");
                    }).RequireAuthorization();
                    endpoints.MapPost(UnsavedRoute, (NameBody body, Infrastructure.Auth.Caller caller, HoursmithDb db) =>
                    {
                        db.Clients.Add(NewClient(caller, body.Name));
                        return ApiErrors.Validation(new Dictionary<string, string> { ["name"] = "invalid" });
                    }).RequireAuthorization();
                });
            };
        }
    }
}
