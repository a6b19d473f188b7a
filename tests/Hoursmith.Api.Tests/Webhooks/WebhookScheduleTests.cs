using System.Net;
using System.Net.Http.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Webhooks;

/// <summary>The real application with a clock the test moves and no worker of its own: the test runs the worker's rounds.</summary>
public class WebhookClockFactory : ApiFactory
{
    public WebhookClockFactory() : this(new Dictionary<string, string?>())
    {
    }

    protected WebhookClockFactory(IDictionary<string, string?> overrides)
        : base(new Dictionary<string, string?>(overrides) { ["Webhooks:WorkerEnabled"] = "false" })
    {
    }

    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    public WebhookDispatcher Dispatcher => Services.GetRequiredService<WebhookDispatcher>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>
/// The retry schedule, the failing transition, leases and pruning, on a fake clock, against a real
/// receiver. Each test has a factory (and clock) of its own.
/// </summary>
public sealed class WebhookScheduleTests : IAsyncLifetime
{
    private readonly WebhookClockFactory _factory = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _factory.Dispatcher.Jitter = () => 0;
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private async Task<(HttpClient Owner, string EndpointId)> HookedAsync()
    {
        var workspace = await _factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        var owner = workspace.Client(token);
        var created = await owner.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = _receiver.Url, events = new[] { "client.created" } });
        return (owner, (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!);
    }

    private Task<WebhookDelivery> DeliveryAsync(string endpointId) =>
        _factory.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.EndpointId == Guid.Parse(endpointId)));

    private static async Task<string> EndpointStatusAsync(HttpClient owner, string endpointId) =>
        (await (await owner.GetAsync($"/api/v1/webhook-endpoints/{endpointId}")).ReadJsonAsync()).GetProperty("data").GetProperty("status").GetString()!;

    [Fact]
    public async Task A_failing_receiver_gets_seven_retries_on_schedule_then_the_delivery_fails_and_the_endpoint_is_failing_until_a_success()
    {
        var (owner, endpointId) = await HookedAsync();
        _receiver.Status = () => 500;
        await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Acme" });
        var start = _factory.Clock.GetUtcNow().UtcDateTime;

        Assert.Equal(1, await _factory.Dispatcher.RunOnceAsync(default));
        var delivery = await DeliveryAsync(endpointId);
        Assert.Equal((1, WebhookDeliveryStatus.Pending, 500), (delivery.Attempts, delivery.Status, delivery.LastResponseStatus));

        int[] delays = [5, 60, 300, 1800, 7200, 21600, 86400];
        var attemptAt = start;
        for (var retry = 0; retry < delays.Length; retry++)
        {
            Assert.Equal(attemptAt.AddSeconds(delays[retry]), delivery.NextAttemptAt);
            // Not a second early.
            _factory.Clock.Advance(TimeSpan.FromSeconds(delays[retry]) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, await _factory.Dispatcher.RunOnceAsync(default));
            _factory.Clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, await _factory.Dispatcher.RunOnceAsync(default));
            attemptAt = _factory.Clock.GetUtcNow().UtcDateTime;
            delivery = await DeliveryAsync(endpointId);
            Assert.Equal(retry + 2, delivery.Attempts);
            if (retry < delays.Length - 1)
            {
                Assert.Equal("active", await EndpointStatusAsync(owner, endpointId)); // retrying is not failing
            }
        }

        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Null(delivery.NextAttemptAt);
        Assert.Equal(8, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => r.EventId).Distinct()); // one event id on every retry
        Assert.Equal("failing", await EndpointStatusAsync(owner, endpointId));
        var listed = (await (await owner.GetAsync($"/api/v1/webhook-endpoints/{endpointId}/deliveries?status=failed")).ReadJsonAsync()).GetProperty("data");
        var shown = Assert.Single(listed.EnumerateArray());
        Assert.Equal(8, shown.GetProperty("attempts").GetInt32());
        Assert.Equal("not now", shown.GetProperty("lastResponseSnippet").GetString());
        Assert.Equal("The endpoint answered 500.", shown.GetProperty("lastError").GetString());

        _factory.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await _factory.Dispatcher.RunOnceAsync(default));

        // Still enabled: a new event is queued and its success clears the status.
        _receiver.Status = () => 200;
        await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Beta" });
        Assert.Equal(1, await _factory.Dispatcher.RunOnceAsync(default));
        Assert.Equal("active", await EndpointStatusAsync(owner, endpointId));
    }

    [Fact]
    public async Task A_crashed_workers_claim_is_taken_over_once_its_lease_runs_out()
    {
        var (owner, endpointId) = await HookedAsync();
        await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Acme" });
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        // What a worker that claimed the delivery and then died leaves behind.
        await _factory.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.EndpointId == Guid.Parse(endpointId))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseToken, Guid.NewGuid()).SetProperty(d => d.LeaseUntil, now.AddSeconds(60))));

        _factory.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await _factory.Dispatcher.RunOnceAsync(default));
        _factory.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await _factory.Dispatcher.RunOnceAsync(default));
        Assert.Single(_receiver.Received);
        var delivery = await DeliveryAsync(endpointId);
        Assert.Equal((WebhookDeliveryStatus.Succeeded, 1), (delivery.Status, delivery.Attempts));
        Assert.Null(delivery.LeaseToken);
    }

    [Fact]
    public async Task Deliveries_and_events_older_than_thirty_days_are_pruned()
    {
        var (owner, endpointId) = await HookedAsync();
        await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Old" });
        Assert.Equal(1, await _factory.Dispatcher.RunOnceAsync(default));
        _factory.Clock.Advance(TimeSpan.FromDays(29));
        await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Newer" });
        Assert.Equal(1, await _factory.Dispatcher.RunOnceAsync(default));

        _factory.Clock.Advance(TimeSpan.FromDays(2));
        await _factory.Dispatcher.PruneAsync(default);
        var left = await _factory.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.EndpointId == Guid.Parse(endpointId)).Join(db.WebhookEvents, d => d.EventId, e => e.Id, (d, e) => e.Body).ToListAsync());
        Assert.Contains("Newer", Assert.Single(left));
    }

    [Fact]
    public async Task A_deleted_endpoints_queued_delivery_is_not_sent()
    {
        var (owner, endpointId) = await HookedAsync();
        await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Acme" });
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/webhook-endpoints/{endpointId}")).StatusCode);
        Assert.Equal(1, await _factory.Dispatcher.RunOnceAsync(default));
        Assert.Empty(_receiver.Received);
        var delivery = await DeliveryAsync(endpointId);
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal("The endpoint was deleted.", delivery.LastError);
    }
}

/// <summary>Strict URL rules (as in Production) with the worker run by the test.</summary>
public sealed class StrictWebhookClockFactory() : WebhookClockFactory(new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "false" });

public sealed class WebhookConnectRuleTests(StrictWebhookClockFactory factory) : IClassFixture<StrictWebhookClockFactory>
{
    [Fact]
    public async Task A_host_that_points_inward_by_the_time_of_delivery_is_refused_at_connect()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var secrets = factory.Services.GetRequiredService<WebhookSecrets>();
        var outbox = factory.Services.GetRequiredService<WebhookOutbox>();
        // As if the host passed the check at creation and its DNS answer changed since: written directly.
        var endpointId = await factory.WithDbAsync(async db =>
        {
            var secret = WebhookSecrets.NewSecret();
            var endpoint = new WebhookEndpoint
            {
                WorkspaceId = workspace.Id,
                Url = receiver.Url.Replace("http://", "https://", StringComparison.Ordinal),
                EventTypes = WebhookEventTypes.Store(["client.created"]),
                SecretCiphertext = [],
                SecretPrefix = WebhookSecrets.ShownPrefix(secret),
            };
            endpoint.SecretCiphertext = secrets.Encrypt(endpoint.Id, secret);
            db.WebhookEndpoints.Add(endpoint);
            await db.SaveChangesAsync();
            outbox.AddTest(db, endpoint);
            await db.SaveChangesAsync();
            return endpoint.Id;
        });

        Assert.Equal(1, await factory.Dispatcher.RunOnceAsync(default));
        var delivery = await factory.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.EndpointId == endpointId));
        Assert.Equal((WebhookDeliveryStatus.Pending, 1), (delivery.Status, delivery.Attempts));
        Assert.Null(delivery.LastResponseStatus);
        Assert.Contains("may not reach", delivery.LastError);
        Assert.Empty(receiver.Received);
    }
}
