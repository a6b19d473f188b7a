using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Features.Webhooks;

/// <summary>
/// One round of the delivery worker: claim due deliveries under a lease, send each (signed, 10 s
/// timeout, only a 2xx counts), record the outcome and schedule the retry. A claim is one statement
/// (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so workers on several instances never wait on or take
/// each other's rows; SQLite: its single writer serializes claims), and an outcome is recorded only
/// while the lease is still ours, so a worker that lost its lease cannot overwrite the next one's result.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, IHttpClientFactory clients, WebhookSecrets secrets, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
{
    public const string HttpClientName = "webhooks";

    /// <summary>Characters of a response body kept for debugging; no more is read.</summary>
    public const int SnippetChars = 1024;

    /// <summary>The retry jitter in [-1, 1]; tests pin it.</summary>
    public Func<double> Jitter { get; set; } = () => (Random.Shared.NextDouble() * 2) - 1;

    /// <summary>Claims one batch of due deliveries and delivers it; the number claimed (0 when nothing was due).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var lease = Guid.NewGuid();
        List<Claimed> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HoursmithDb>();
            var now = time.GetUtcNow().UtcDateTime;
            if (await ClaimAsync(db, lease, now, now + settings.Lease, settings.BatchSize, cancellationToken) == 0)
            {
                return 0;
            }

            claimed = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.LeaseToken == lease)
                .Join(db.WebhookEvents, d => d.EventId, e => e.Id, (d, e) => new Claimed(d.Id, d.EndpointId, d.EventId, d.EventType, d.Attempts, e.Body))
                .ToListAsync(cancellationToken);
            var endpointIds = claimed.Select(c => c.EndpointId).Distinct().ToList();
            var endpoints = await db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking()
                .Where(e => endpointIds.Contains(e.Id))
                .Select(e => new Target(e.Id, e.Url, e.SecretCiphertext, e.DeletedAt != null))
                .ToDictionaryAsync(e => e.Id, cancellationToken);
            claimed = [.. claimed.Select(c => c with { Target = endpoints.GetValueOrDefault(c.EndpointId) })];
        }

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<Outcome>();
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.BatchSize), CancellationToken = cancellationToken },
            async (delivery, ct) => outcomes.Add(await DeliverAsync(delivery, ct)));
        await RecordAsync([.. outcomes], lease);
        return claimed.Count;
    }

    /// <summary>Deletes finished deliveries older than the retention, then events no delivery points at any more.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HoursmithDb>();
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.Retention;
        await db.WebhookDeliveries.Where(d => d.CreatedAt < cutoff && d.Status != WebhookDeliveryStatus.Pending).ExecuteDeleteAsync(cancellationToken);
        await db.WebhookEvents.Where(e => e.CreatedAt < cutoff && !db.WebhookDeliveries.Any(d => d.EventId == e.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    private static async Task<int> ClaimAsync(HoursmithDb db, Guid lease, DateTime now, DateTime until, int batch, CancellationToken cancellationToken)
    {
        if (db.Database.IsPostgresStore())
        {
            return await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE "WebhookDeliveries" SET "LeaseToken" = {lease}, "LeaseUntil" = {until}
                WHERE "Id" IN (
                    SELECT "Id" FROM "WebhookDeliveries"
                    WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {now} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                    ORDER BY "NextAttemptAt"
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED)
                """, cancellationToken);
        }

        // One UPDATE: SQLite runs it under its single write lock, so two claims never pick the same row.
        var due = db.WebhookDeliveries
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .OrderBy(d => d.NextAttemptAt)
            .Take(batch)
            .Select(d => d.Id);
        return await db.WebhookDeliveries
            .Where(d => due.Contains(d.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseToken, lease).SetProperty(d => d.LeaseUntil, until), cancellationToken);
    }

    private async Task<Outcome> DeliverAsync(Claimed delivery, CancellationToken cancellationToken)
    {
        var attemptedAt = time.GetUtcNow();
        Attempt attempt;
        if (delivery.Target is not { Deleted: false } target)
        {
            return new Outcome(delivery, attemptedAt.UtcDateTime, new Attempt(null, 0, "The endpoint was deleted.", null), Final: true);
        }

        if (secrets.Decrypt(target.Id, target.SecretCiphertext) is not { } secret)
        {
            attempt = new Attempt(null, 0, "The endpoint's signing secret could not be decrypted (was Webhooks:SecretKey changed?).", null);
        }
        else
        {
            attempt = await SendAsync(target.Url, secret, delivery, attemptedAt, cancellationToken);
        }

        return new Outcome(delivery, attemptedAt.UtcDateTime, attempt, Final: false);
    }

    private async Task<Attempt> SendAsync(string url, string secret, Claimed delivery, DateTimeOffset attemptedAt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Header(secret, attemptedAt.ToUnixTimeSeconds(), delivery.Body));
        request.Headers.TryAddWithoutValidation("Hoursmith-Event-Id", delivery.EventId.ToString());
        request.Headers.TryAddWithoutValidation("Hoursmith-Event-Type", delivery.EventType);
        request.Headers.TryAddWithoutValidation("Hoursmith-Delivery-Id", delivery.Id.ToString());
        request.Headers.UserAgent.ParseAdd("Hoursmith-Webhooks/1.0");
        try
        {
            using var client = clients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var snippet = await ReadSnippetAsync(response, cancellationToken);
            var status = (int)response.StatusCode;
            var error = response.IsSuccessStatusCode ? null : $"The endpoint answered {status}.";
            return new Attempt(status, Elapsed(started), error, snippet);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var error = failure switch
            {
                TaskCanceledException => $"No response within {options.Value.Timeout.TotalSeconds:0} seconds.",
                HttpRequestException { InnerException: ForbiddenTargetException refused } => refused.Message,
                HttpRequestException http => $"Could not connect: {http.HttpRequestError}.",
                _ => "The connection failed.",
            };
            return new Attempt(null, Elapsed(started), error, null);
        }
    }

    /// <summary>At most <see cref="SnippetChars"/> characters of the body; the rest is never read.</summary>
    private static async Task<string?> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[SnippetChars * 4];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }

        if (read == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length <= SnippetChars ? text : text[..SnippetChars];
    }

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    /// <summary>
    /// Records a round's outcomes in one transaction (one commit, not one per delivery: on SQLite every
    /// commit is a sync to disk, shared with the API's writes), each only while the lease is still ours.
    /// </summary>
    private async Task RecordAsync(IReadOnlyList<Outcome> outcomes, Guid lease)
    {
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HoursmithDb>();
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var healthy = new HashSet<Guid>();
            var failing = new HashSet<Guid>();
            foreach (var (delivery, attemptedAt, attempt, final) in outcomes)
            {
                var succeeded = attempt.Status is >= 200 and < 300;
                var attempts = delivery.Attempts + 1;
                var next = succeeded || final ? null : WebhookRetrySchedule.NextAttemptAt(attempts, attemptedAt, Jitter());
                var status = succeeded ? WebhookDeliveryStatus.Succeeded : next is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
                var error = attempt.Error is { Length: > 500 } tooLong ? tooLong[..500] : attempt.Error;
                var updated = await db.WebhookDeliveries
                    .Where(d => d.Id == delivery.Id && d.LeaseToken == lease)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(d => d.Status, status)
                        .SetProperty(d => d.Attempts, attempts)
                        .SetProperty(d => d.NextAttemptAt, next)
                        .SetProperty(d => d.LeaseToken, (Guid?)null)
                        .SetProperty(d => d.LeaseUntil, (DateTime?)null)
                        .SetProperty(d => d.LastAttemptAt, attemptedAt)
                        .SetProperty(d => d.LastResponseStatus, attempt.Status)
                        .SetProperty(d => d.LastDurationMs, attempt.DurationMs)
                        .SetProperty(d => d.LastError, error)
                        .SetProperty(d => d.LastResponseSnippet, attempt.Snippet)
                        .SetProperty(d => d.DeliveredAt, succeeded ? now : null)
                        .SetProperty(d => d.UpdatedAt, now), CancellationToken.None);
                if (updated == 0)
                {
                    logger.LogWarning("Webhook delivery {DeliveryId}: the lease ran out before its outcome was recorded", delivery.Id);
                }
                else if (succeeded)
                {
                    healthy.Add(delivery.EndpointId);
                }
                else if (status == WebhookDeliveryStatus.Failed)
                {
                    failing.Add(delivery.EndpointId);
                }
            }

            // The endpoint's status follows its deliveries: failing after one exhausted its retries, healthy after a success.
            if (healthy.Count > 0)
            {
                await db.WebhookEndpoints.IgnoreQueryFilters().Where(e => healthy.Contains(e.Id) && e.Failing)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Failing, false), CancellationToken.None);
            }

            failing.ExceptWith(healthy);
            if (failing.Count > 0)
            {
                await db.WebhookEndpoints.IgnoreQueryFilters().Where(e => failing.Contains(e.Id) && !e.Failing)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Failing, true), CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Not recorded: the leases run out and the deliveries are tried again (receivers dedupe on the event id).
            logger.LogWarning(failure, "Recording a round of {Count} webhook attempts failed", outcomes.Count);
        }
    }

    private sealed record Claimed(Guid Id, Guid EndpointId, Guid EventId, string EventType, int Attempts, string Body)
    {
        public Target? Target { get; init; }
    }

    private sealed record Target(Guid Id, string Url, byte[] SecretCiphertext, bool Deleted);

    private sealed record Attempt(int? Status, int DurationMs, string? Error, string? Snippet);

    private sealed record Outcome(Claimed Delivery, DateTime AttemptedAt, Attempt Attempt, bool Final);
}

/// <summary>
/// The delivery worker of a server process: rounds of <see cref="WebhookDispatcher"/> while there is
/// work; otherwise it sleeps until this process commits new deliveries or the poll interval passes
/// (events made by other processes and retries falling due), and prunes old deliveries hourly.
/// </summary>
internal sealed class WebhookWorker(
    WebhookDispatcher dispatcher, WebhookSecrets secrets, WebhookSignal signal, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookWorker> logger) : BackgroundService
{
    private static readonly TimeSpan s_pruneEvery = TimeSpan.FromHours(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            secrets.EnsureKey();
        }
        catch (Exception failure) when (failure is DbException or InvalidOperationException)
        {
            // The database is not ready yet: the key is read on first use instead.
            logger.LogWarning(failure, "The webhook secret key could not be read at start");
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
        {
            return;
        }

        var nextPrune = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextPrune)
                {
                    nextPrune = time.GetUtcNow() + s_pruneEvery;
                    await dispatcher.PruneAsync(stoppingToken);
                }

                if (await dispatcher.RunOnceAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                logger.LogWarning(failure, "A webhook delivery round failed; trying again after the poll interval");
            }

            await signal.WaitAsync(options.Value.PollInterval, time, stoppingToken);
        }
    }
}
