using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hoursmith.Api.Features.Webhooks;

/// <summary>
/// The outbox. A change that raises an event calls <see cref="RecordAsync"/> before its save: the event
/// and one delivery per subscribed endpoint join the change's own transaction, so an event is never lost
/// and never sent for a change that rolled back. Workspaces with no subscribed endpoint pay one indexed
/// query and write nothing.
/// </summary>
public sealed class WebhookOutbox(TimeProvider time)
{
    /// <summary>Webhook bodies carry every field, money included, whoever made the change (the receiver is the workspace's).</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new DecimalStringConverter() } };

    /// <summary>
    /// Queues <paramref name="type"/> for every enabled endpoint of the workspace that subscribes to it.
    /// <paramref name="data"/> is read when the change is saved (so it shows the row as saved, as the API
    /// returns it); if <paramref name="source"/> is no longer tracked by then, nothing is sent.
    /// </summary>
    public async Task RecordAsync(HoursmithDb db, Guid workspaceId, string type, object source, Func<object> data, CancellationToken cancellationToken)
    {
        var marker = WebhookEventTypes.Marker(type);
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.WorkspaceId == workspaceId && e.Enabled && e.EventTypes.Contains(marker)
                && db.Workspaces.Any(w => w.Id == workspaceId && w.Plan == Plan.Agency && w.PlanStatus == PlanStatus.Active))
            .Select(e => e.Id)
            .ToListAsync(cancellationToken);
        if (endpoints.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var created = new WebhookEvent { WorkspaceId = workspaceId, Type = type, CreatedAt = now };
        WebhookOutboxSaveInterceptor.Queue(db);
        created.Pending = (() => Body(created, data()), source);
        db.WebhookEvents.Add(created);
        foreach (var endpointId in endpoints)
        {
            db.WebhookDeliveries.Add(NewDelivery(created, endpointId, now));
        }
    }

    /// <summary>A test event for one endpoint: <c>livemode: false</c>, <c>data.test: true</c>.</summary>
    public WebhookDelivery AddTest(HoursmithDb db, WebhookEndpoint endpoint)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var test = new WebhookEvent { WorkspaceId = endpoint.WorkspaceId, Type = WebhookEventTypes.Test, Livemode = false, CreatedAt = now };
        WebhookOutboxSaveInterceptor.Queue(db);
        test.Body = Body(test, new WebhookTestData(true, "A test event from Hoursmith: your endpoint received and can verify it.", endpoint.Id, endpoint.Url));
        db.WebhookEvents.Add(test);
        var delivery = NewDelivery(test, endpoint.Id, now);
        db.WebhookDeliveries.Add(delivery);
        return delivery;
    }

    /// <summary>A new delivery of a past one's event (same event id), due now.</summary>
    public WebhookDelivery AddReplay(HoursmithDb db, WebhookDelivery original)
    {
        var now = time.GetUtcNow().UtcDateTime;
        WebhookOutboxSaveInterceptor.Queue(db);
        var replay = new WebhookDelivery
        {
            WorkspaceId = original.WorkspaceId,
            EndpointId = original.EndpointId,
            EventId = original.EventId,
            EventType = original.EventType,
            ReplayOf = original.Id,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookDeliveries.Add(replay);
        return replay;
    }

    private static WebhookDelivery NewDelivery(WebhookEvent created, Guid endpointId, DateTime now) => new()
    {
        WorkspaceId = created.WorkspaceId,
        EndpointId = endpointId,
        EventId = created.Id,
        EventType = created.Type,
        NextAttemptAt = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static string Body(WebhookEvent e, object data) =>
        JsonSerializer.Serialize(new WebhookEventBody(e.Id, e.Type, new DateTimeOffset(e.CreatedAt).ToUnixTimeSeconds(), e.WorkspaceId, e.Livemode, data), Json);
}

/// <summary>What every delivery POSTs (webhooks.md, Delivery).</summary>
/// <param name="Created">The event's creation time in unix seconds (not the signature's t).</param>
/// <param name="Data">Snapshots keyed by resource name, in the API's own shapes.</param>
public sealed record WebhookEventBody(Guid Id, string Type, long Created, Guid OrgId, bool Livemode, object Data);

/// <summary>A test event's data.</summary>
public sealed record WebhookTestData(bool Test, string Message, Guid EndpointId, string Url);

/// <summary>Wakes the delivery worker of this process when a transaction that queued deliveries commits.</summary>
public sealed class WebhookSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Until notified or <paramref name="timeout"/> passes (on <paramref name="time"/>'s clock).</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), wait, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            await _channel.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}

/// <summary>
/// Writes each queued event's body as its change is saved, drops events whose row was not saved, and
/// wakes the worker once the transaction that holds new deliveries has committed.
/// </summary>
internal sealed class WebhookOutboxSaveInterceptor(WebhookSignal signal) : SaveChangesInterceptor
{
    /// <summary>Contexts the outbox queued events in; true once they are saved and wait for their commit.</summary>
    private static readonly ConditionalWeakTable<DbContext, StrongBox<bool>> s_queued = [];

    /// <summary>Marks <paramref name="context"/> as holding queued events, so saves of contexts that hold none cost nothing here.</summary>
    internal static void Queue(DbContext context) => s_queued.TryAdd(context, new StrongBox<bool>(false));

    /// <summary>Whether <paramref name="context"/> saved deliveries that now wait for a commit (and forgets it).</summary>
    internal static bool TakeSaved(DbContext context) => s_queued.TryGetValue(context, out var saved) && saved.Value && s_queued.Remove(context);

    internal static void Forget(DbContext context) => s_queued.Remove(context);

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Prepare(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Prepare(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    private static void Prepare(DbContext? context)
    {
        if (context is null || !s_queued.TryGetValue(context, out var saved))
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<WebhookEvent>().Where(e => e.State == EntityState.Added && e.Entity.Pending is not null).ToList())
        {
            var (body, source) = entry.Entity.Pending!.Value;
            entry.Entity.Pending = null;
            if (source is not null && context.Entry(source).State == EntityState.Detached)
            {
                // The change was abandoned (e.g. a timer start that turned out to be the running one).
                foreach (var delivery in context.ChangeTracker.Entries<WebhookDelivery>().Where(d => d.Entity.EventId == entry.Entity.Id).ToList())
                {
                    delivery.State = EntityState.Detached;
                }

                entry.State = EntityState.Detached;
                continue;
            }

            entry.Entity.Body = body();
        }

        saved.Value = context.ChangeTracker.Entries<WebhookDelivery>().Any(d => d.State == EntityState.Added);
    }

    private void Saved(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null && TakeSaved(context))
        {
            signal.Notify();
        }
    }
}

/// <summary>The commit half of <see cref="WebhookOutboxSaveInterceptor"/>: saves inside a transaction wake the worker when it commits.</summary>
internal sealed class WebhookOutboxCommitInterceptor(WebhookSignal signal) : DbTransactionInterceptor
{
    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            WebhookOutboxSaveInterceptor.Forget(context);
        }

        return Task.CompletedTask;
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && WebhookOutboxSaveInterceptor.TakeSaved(context))
        {
            signal.Notify();
        }
    }
}
