using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hoursmith.Api.Tests.Support;

/// <summary>One POST a <see cref="WebhookReceiver"/> received, as it came off the wire.</summary>
public sealed record ReceivedWebhook(string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string EventId => Json.GetProperty("id").GetString()!;

    public string Type => Json.GetProperty("type").GetString()!;

    public string? Signature => Headers.GetValueOrDefault("Hoursmith-Signature");
}

/// <summary>
/// A real HTTP receiver on a loopback port of its own (Kestrel): it keeps every POST it answers and
/// answers with <see cref="Status"/> (200 unless a test says otherwise). Events it answered 2xx are counted by id.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _acceptedById = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status every request gets.</summary>
    public Func<int> Status { get; set; } = () => 200;

    public string Url { get; private set; } = "";

    public IReadOnlyCollection<ReceivedWebhook> Received => _received;

    /// <summary>How many times each event id was answered with a 2xx.</summary>
    public IReadOnlyDictionary<string, int> AcceptedById => _acceptedById;

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new ReceivedWebhook(body, headers, DateTimeOffset.UtcNow);
            var status = receiver.Status();
            if (status is >= 200 and < 300)
            {
                try
                {
                    receiver._acceptedById.AddOrUpdate(received.EventId, 1, (_, n) => n + 1);
                }
                catch (JsonException)
                {
                    // Not an event: kept, not counted.
                }
            }

            receiver._received.Enqueue(received);
            receiver._arrived.Release();
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status is >= 200 and < 300 ? "ok" : "not now");
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks";
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived (fails after <paramref name="timeout"/>).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_received.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{_received.Count} of {count} webhooks arrived");
            }

            await _arrived.WaitAsync(left);
        }

        return [.. _received];
    }

    /// <summary>Waits until every id in <paramref name="ids"/> has been accepted at least once.</summary>
    public async Task WaitForIdsAsync(IReadOnlyCollection<string> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ids.Any(id => !_acceptedById.ContainsKey(id)))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{ids.Count(id => _acceptedById.ContainsKey(id))} of {ids.Count} events arrived");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
