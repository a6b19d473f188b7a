using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Webhooks;

/// <summary>
/// Deliveries to a real receiver (Kestrel on a loopback port) from the real worker: every event type,
/// signed, carrying the resource as the API returns it; test events; replays with the same event id.
/// </summary>
public sealed class WebhookDeliveryTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private sealed record Hooked(TestWorkspace Workspace, HttpClient Owner, WebhookReceiver Receiver, string EndpointId, string Secret);

    private async Task<Hooked> HookedWorkspaceAsync(params string[] events)
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        var owner = workspace.Client(token);
        var receiver = await WebhookReceiver.StartAsync();
        var created = await owner.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = receiver.Url, events = events.Length == 0 ? WebhookEventTypes.All : events });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var data = (await created.ReadJsonAsync()).GetProperty("data");
        return new Hooked(workspace, owner, receiver, data.GetProperty("id").GetString()!, data.GetProperty("secret").GetString()!);
    }

    private static async Task<JsonNode> DataOfAsync(HttpClient client, string path) =>
        JsonNode.Parse(await client.GetStringAsync(path))!["data"]!;

    private static void AssertSigned(Hooked hooked, ReceivedWebhook webhook)
    {
        Assert.True(WebhookSignature.Verify(hooked.Secret, webhook.Signature, webhook.Body, DateTimeOffset.UtcNow), $"signature of {webhook.Type} does not verify");
        Assert.StartsWith("application/json", webhook.Headers["Content-Type"]);
        Assert.Equal(webhook.EventId, webhook.Headers["Hoursmith-Event-Id"]);
    }

    [Fact]
    public async Task Every_event_type_arrives_signed_with_the_resource_as_the_API_returns_it()
    {
        var hooked = await HookedWorkspaceAsync();
        await using var receiver = hooked.Receiver;
        var owner = hooked.Owner;
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var client = (await (await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Acme", defaultRate = "100.00" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        var project = (await (await owner.PostAsJsonAsync("/api/v1/projects", new { clientId = client, name = "Website" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        var task = (await (await owner.PostAsJsonAsync("/api/v1/tasks", new { projectId = project, name = "Wireframes" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { status = "DONE" })).StatusCode);
        // Already done: no second task.completed.
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { status = "DONE", name = "Wireframes v2" })).StatusCode);
        var entry = (await (await owner.PostAsJsonAsync("/api/v1/time-entries", new { projectId = project, taskId = task, entryDate = DateTime.UtcNow.ToString("yyyy-MM-dd"), durationSeconds = 3600 })).ReadJsonAsync())
            .GetProperty("data").GetProperty("id").GetString();

        // The invoice commands of the CLI, through the same service.
        var invoiceId = await WithInvoicingAsync(async invoicing =>
        {
            var invoice = await invoicing.CreateAsync(new NewInvoice(hooked.Workspace.Id, Guid.Parse(client!)));
            await invoicing.SendAsync(invoice.Id);
            await invoicing.RecordFailedPaymentAsync(invoice.Id, 40m, "card declined");
            await invoicing.PayAsync(invoice.Id, invoice.Total);
            return invoice.Id;
        });

        var received = await receiver.WaitForAsync(8);
        await Task.Delay(500); // nothing else (no second task.completed) may follow
        Assert.Equal(8, receiver.Received.Count);
        var byType = received.ToDictionary(r => r.Type);
        Assert.Equal(WebhookEventTypes.All.Order(), byType.Keys.Order());
        foreach (var webhook in received)
        {
            AssertSigned(hooked, webhook);
            var json = webhook.Json;
            Assert.True(Guid.TryParse(webhook.EventId, out _));
            Assert.True(json.GetProperty("livemode").GetBoolean());
            Assert.Equal(hooked.Workspace.Id.ToString(), json.GetProperty("orgId").GetString());
            Assert.InRange(json.GetProperty("created").GetInt64(), before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        Assert.True(JsonNode.DeepEquals(await DataOfAsync(owner, $"/api/v1/clients/{client}"), JsonNode.Parse(byType["client.created"].Body)!["data"]!["client"]));
        Assert.True(JsonNode.DeepEquals(await DataOfAsync(owner, $"/api/v1/projects/{project}"), JsonNode.Parse(byType["project.created"].Body)!["data"]!["project"]));
        Assert.Equal(task, byType["task.created"].Json.GetProperty("data").GetProperty("task").GetProperty("id").GetString());
        Assert.Equal("TODO", byType["task.created"].Json.GetProperty("data").GetProperty("task").GetProperty("status").GetString());
        Assert.Equal("DONE", byType["task.completed"].Json.GetProperty("data").GetProperty("task").GetProperty("status").GetString());
        // The entry was invoiced since: all but invoiceId and updatedAt is as created.
        var entryNow = await DataOfAsync(owner, $"/api/v1/time-entries/{entry}");
        var entrySent = JsonNode.Parse(byType["time_entry.created"].Body)!["data"]!["timeEntry"]!.AsObject();
        Assert.Equal(entryNow["id"]!.GetValue<string>(), entrySent["id"]!.GetValue<string>());
        Assert.Equal(entryNow["createdAt"]!.GetValue<string>(), entrySent["createdAt"]!.GetValue<string>());
        Assert.Equal(3600, entrySent["durationSeconds"]!.GetValue<long>());

        var invoiceNow = await DataOfAsync(owner, $"/api/v1/invoices/{invoiceId}");
        Assert.True(JsonNode.DeepEquals(invoiceNow, JsonNode.Parse(byType["invoice.paid"].Body)!["data"]!["invoice"]));
        var paid = byType["invoice.paid"].Json.GetProperty("data");
        Assert.Equal("succeeded", paid.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal(invoiceNow["total"]!.GetValue<string>(), paid.GetProperty("payment").GetProperty("amount").GetString());
        Assert.Equal("SENT", byType["invoice.sent"].Json.GetProperty("data").GetProperty("invoice").GetProperty("status").GetString());
        var failed = byType["invoice.payment_failed"].Json.GetProperty("data");
        Assert.Equal("SENT", failed.GetProperty("invoice").GetProperty("status").GetString());
        Assert.Equal("40.00", failed.GetProperty("payment").GetProperty("amount").GetString());
        Assert.Equal("card declined", failed.GetProperty("payment").GetProperty("reason").GetString());

        var deliveries = (await (await owner.GetAsync($"/api/v1/webhook-endpoints/{hooked.EndpointId}/deliveries?limit=200")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal(8, deliveries.GetArrayLength());
        Assert.All(deliveries.EnumerateArray(), d =>
        {
            Assert.Equal("succeeded", d.GetProperty("status").GetString());
            Assert.Equal(1, d.GetProperty("attempts").GetInt32());
            Assert.Equal(200, d.GetProperty("lastResponseStatus").GetInt32());
            Assert.Equal("ok", d.GetProperty("lastResponseSnippet").GetString());
            Assert.Equal(JsonValueKind.Null, d.GetProperty("nextAttemptAt").ValueKind);
        });
    }

    [Fact]
    public async Task Only_subscribed_types_of_enabled_endpoints_of_the_workspace_are_sent()
    {
        var hooked = await HookedWorkspaceAsync("project.created");
        await using var receiver = hooked.Receiver;
        var other = await HookedWorkspaceAsync("client.created");
        await using var otherReceiver = other.Receiver;
        var client = (await (await hooked.Owner.PostAsJsonAsync("/api/v1/clients", new { name = "Unsubscribed" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        await hooked.Owner.PatchAsJsonAsync($"/api/v1/webhook-endpoints/{hooked.EndpointId}", new { enabled = false });
        await hooked.Owner.PostAsJsonAsync("/api/v1/projects", new { clientId = client, name = "While disabled" });
        await hooked.Owner.PatchAsJsonAsync($"/api/v1/webhook-endpoints/{hooked.EndpointId}", new { enabled = true });
        await hooked.Owner.PostAsJsonAsync("/api/v1/projects", new { clientId = client, name = "Enabled again" });

        var received = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal("Enabled again", received.Json.GetProperty("data").GetProperty("project").GetProperty("name").GetString());
        await Task.Delay(500);
        Assert.Single(receiver.Received);
        Assert.Empty(otherReceiver.Received);
    }

    [Fact]
    public async Task A_test_event_arrives_with_livemode_false_and_a_replay_carries_the_same_event_id()
    {
        var hooked = await HookedWorkspaceAsync("invoice.paid");
        await using var receiver = hooked.Receiver;
        var test = await hooked.Owner.PostAsync($"/api/v1/webhook-endpoints/{hooked.EndpointId}/test", null);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        var queued = (await test.ReadJsonAsync()).GetProperty("data");
        Assert.Equal("pending", queued.GetProperty("status").GetString());
        Assert.Equal("webhook.test", queued.GetProperty("eventType").GetString());

        var first = Assert.Single(await receiver.WaitForAsync(1));
        AssertSigned(hooked, first);
        Assert.Equal("webhook.test", first.Type);
        Assert.False(first.Json.GetProperty("livemode").GetBoolean());
        Assert.True(first.Json.GetProperty("data").GetProperty("test").GetBoolean());
        Assert.Equal(queued.GetProperty("eventId").GetString(), first.EventId);

        var replay = await hooked.Owner.PostAsync($"/api/v1/webhook-deliveries/{queued.GetProperty("id").GetString()}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var replayed = (await replay.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(queued.GetProperty("id").GetString(), replayed.GetProperty("replayOf").GetString());
        var again = (await receiver.WaitForAsync(2))[1];
        AssertSigned(hooked, again);
        Assert.Equal(first.EventId, again.EventId);
        Assert.Equal(first.Body, again.Body);
        Assert.Equal(2, receiver.AcceptedById[first.EventId]);

        // Another workspace's Owner cannot replay it.
        var stranger = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await stranger.TokenForRoleAsync(Role.Owner);
        await (await stranger.Client(token).PostAsync($"/api/v1/webhook-deliveries/{queued.GetProperty("id").GetString()}/replay", null)).AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task A_rotated_secret_signs_at_once_and_the_old_one_no_longer_verifies()
    {
        var hooked = await HookedWorkspaceAsync("client.created");
        await using var receiver = hooked.Receiver;
        var rotated = (await (await hooked.Owner.PostAsync($"/api/v1/webhook-endpoints/{hooked.EndpointId}/rotate-secret", null)).ReadJsonAsync())
            .GetProperty("data").GetProperty("secret").GetString()!;
        await hooked.Owner.PostAsJsonAsync("/api/v1/clients", new { name = "After rotation" });
        var webhook = Assert.Single(await receiver.WaitForAsync(1));
        Assert.True(WebhookSignature.Verify(rotated, webhook.Signature, webhook.Body, DateTimeOffset.UtcNow));
        Assert.False(WebhookSignature.Verify(hooked.Secret, webhook.Signature, webhook.Body, DateTimeOffset.UtcNow));
    }

    private async Task<T> WithInvoicingAsync<T>(Func<Invoicing, Task<T>> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<Invoicing>());
    }
}
