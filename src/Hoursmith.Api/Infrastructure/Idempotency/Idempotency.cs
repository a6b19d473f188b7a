using System.Buffers;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Http;
using Hoursmith.Api.Infrastructure.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Infrastructure.Idempotency;

/// <summary>The <c>Idempotency:*</c> settings.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>Off only to measure what the layer costs (bench/); a production server never turns it off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a key and its response are kept and replayed.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The in-flight lease of claims written by servers that claimed a key in a transaction of its
    /// own, before running the request. This server claims the key inside the request's transaction
    /// and never writes a lease; such a record carries its own lease end (<see cref="IdempotencyRecord.LockedUntil"/>)
    /// and answers 409 until then. Kept so configurations that set it still bind.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often expired keys are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>SQLite: the one queue in which keyed POSTs of this process wait for the database's write lock (see IdempotencyMiddleware).</summary>
public sealed class SqliteWriterTurns : IDisposable
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);

    public void Dispose() => Semaphore.Dispose();
}

/// <summary>
/// Exactly-once POSTs (conventions.md, Idempotency). Every authenticated POST carries an
/// <c>Idempotency-Key</c>. A new key is claimed inside the request's own database transaction, which
/// also stores the response in the key's row: one commit holds the resource and its response (a crash
/// leaves neither), and a request that fails rolls back its key with everything else. Retries with the
/// same request replay the stored response; a different request, or one while the first is still
/// running, gets 409. See docs/idempotency.md.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IOptions<IdempotencyOptions> options, TimeProvider time, HoursmithMetrics metrics, SqliteWriterTurns sqliteWriters)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    /// <summary>
    /// SQLite: the keys whose request runs in this process. SQLite serializes write transactions (BEGIN
    /// IMMEDIATE), so a second request with an in-flight key would wait for the first and replay it;
    /// the spec wants 409 "in progress" instead, and this set gives it without touching the database.
    /// A second process on the same file does not see this set: its request waits on the write lock,
    /// then finds the stored response and replays it; it never runs the request twice.
    /// PostgreSQL uses a transaction-scoped advisory lock instead, which every instance sees.
    /// </summary>
    private readonly ConcurrentDictionary<KeyOf, byte> _inFlight = new();

    /// <summary>Microsoft.Data.Sqlite's default busy timeout.</summary>
    private static readonly TimeSpan s_sqliteWriterWait = TimeSpan.FromSeconds(30);

    public async Task InvokeAsync(HttpContext context)
    {
        // Only POSTs that passed authentication and authorization; everything else is untouched.
        if (!HttpMethods.IsPost(context.Request.Method) || context.Features.Get<Caller>() is not { } caller || context.GetEndpoint() is null || DispatchingEndpoint.Is(context.GetEndpoint()) || !options.Value.Enabled)
        {
            await next(context);
            return;
        }

        // Resolved here, not injected: a GET, which is most requests, rents no database context for this layer.
        var db = context.RequestServices.GetRequiredService<HoursmithDb>();
        if (KeyProblem(context.Request.Headers[HeaderName]) is { } problem)
        {
            await ErrorWriter.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, new ApiError(ErrorCodes.ValidationError,
                $"Every POST needs an {HeaderName} header: a unique string (a UUID is a good choice) of at most {MaxKeyLength} characters.")
            {
                Fields = new Dictionary<string, string> { [HeaderName] = problem },
            });
            return;
        }

        var key = new KeyOf(caller.WorkspaceId, caller.MemberId, context.Request.Headers[HeaderName].ToString());
        var hash = await RequestHashAsync(context.Request);
        // The key is read only inside the transaction: a retry of a finished request (rare) pays for
        // a transaction, so that every new request (nearly all of them) reads its key once.
        var inProcess = !db.Database.IsPostgresStore();
        if (inProcess && !_inFlight.TryAdd(key, 0))
        {
            await AnswerAsync(context, new Claim.Refused(IdempotencyConflict.InProgress, InProgress));
            return;
        }

        try
        {
            await RunAndStoreAsync(context, db, key, hash);
        }
        finally
        {
            if (inProcess)
            {
                _inFlight.TryRemove(key, out _);
            }
        }
    }

    /// <summary>A key as stored: scoped to the member who sent it, inside their workspace (conventions.md).</summary>
    private readonly record struct KeyOf(Guid WorkspaceId, Guid MemberId, string Key)
    {
        public IQueryable<IdempotencyRecord> In(HoursmithDb db)
        {
            var (workspaceId, memberId, key) = (WorkspaceId, MemberId, Key);
            return db.IdempotencyRecords.Where(r => r.WorkspaceId == workspaceId && r.MemberId == memberId && r.Key == key);
        }

        /// <summary>This key's record, and one stored under it before keys were per member (whose owner is unknown).</summary>
        public async Task<List<IdempotencyRecord>> FindAsync(HoursmithDb db, CancellationToken cancellationToken)
        {
            var found = new List<IdempotencyRecord>(1);
            await foreach (var record in s_inOrBeforeMemberScope(db, WorkspaceId, MemberId, Key).WithCancellation(cancellationToken))
            {
                found.Add(record);
            }

            return found;
        }

        // Compiled: every keyed POST reads its key, and building the query each time cost more than running it.
        private static readonly Func<HoursmithDb, Guid, Guid, string, IAsyncEnumerable<IdempotencyRecord>> s_inOrBeforeMemberScope =
            EF.CompileAsyncQuery((HoursmithDb db, Guid workspaceId, Guid memberId, string key) => db.IdempotencyRecords.AsNoTracking()
                .Where(r => r.WorkspaceId == workspaceId && (r.MemberId == memberId || r.MemberId == Guid.Empty) && r.Key == key));

        /// <summary>The name of this key's PostgreSQL advisory lock (hashed to 64 bits there).</summary>
        public string LockName => $"idempotency:{WorkspaceId:N}:{MemberId:N}:{Key}";
    }

    private static string? KeyProblem(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            return "required";
        }

        if (values.Count > 1)
        {
            return "invalid";
        }

        var key = values[0]!;
        if (key.Length > MaxKeyLength)
        {
            return "too_long";
        }

        return key.All(c => c is >= ' ' and <= '~') ? null : "invalid";
    }

    private abstract record Claim
    {
        /// <summary>No live record: the request runs.</summary>
        public sealed record New : Claim;

        /// <summary>An expired record, or an older server's claim whose lease ran out (its request crashed): replaced.</summary>
        public sealed record Stale(IdempotencyRecord Record) : Claim;

        public sealed record Replay(IdempotencyRecord Record) : Claim;
        public sealed record Refused(IdempotencyConflict Reason, string Message) : Claim;
    }

    private const string DifferentRequest = "This Idempotency-Key was already used for a different request (another path or body); use a new key for a new request.";
    private const string InProgress = "A request with this Idempotency-Key is in progress; retry later.";
    private const string BeforeMemberScope = "This Idempotency-Key was used in this workspace before keys were kept per person, and whose request it was is unknown; use a new key for a new request.";

    /// <summary>What the records found under a key mean for this request.</summary>
    private static Claim Decide(List<IdempotencyRecord> found, KeyOf key, byte[] hash, DateTime now)
    {
        if (found.Any(r => r.MemberId == Guid.Empty && r.ExpiresAt > now))
        {
            // Replaying it could hand one person another's response, and running the request could
            // duplicate the first one's write: neither is safe until it expires (Retention after the upgrade).
            return new Claim.Refused(IdempotencyConflict.KeyBeforeMemberScope, BeforeMemberScope);
        }

        var existing = found.FirstOrDefault(r => r.MemberId == key.MemberId);
        if (existing is null)
        {
            return new Claim.New();
        }

        if (existing.ExpiresAt <= now)
        {
            return new Claim.Stale(existing);
        }

        if (!CryptographicOperations.FixedTimeEquals(existing.RequestHash, hash))
        {
            return new Claim.Refused(IdempotencyConflict.DifferentRequest, DifferentRequest);
        }

        if (existing.ResponseStatus is not null)
        {
            return new Claim.Replay(existing);
        }

        // Only an older server leaves a record without a response (its claim, committed before its request ran).
        return existing.LockedUntil > now ? new Claim.Refused(IdempotencyConflict.InProgress, InProgress) : new Claim.Stale(existing);
    }

    /// <summary>
    /// Takes the key inside the open transaction, or says why not. PostgreSQL: first a transaction-scoped
    /// advisory lock on the key, tried without waiting (held by a request in flight on any instance:
    /// 409), then the read, which the lock makes stable until the commit. SQLite: the transaction
    /// already holds the database's write lock, so the read is stable as it is.
    /// </summary>
    private async Task<Claim> ClaimAsync(HoursmithDb db, KeyOf key, byte[] hash, CancellationToken cancellationToken)
    {
        if (db.Database.IsPostgresStore())
        {
            var name = key.LockName;
            var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtextextended({name}, 0)) AS \"Value\"").ToListAsync(cancellationToken);
            if (!locked[0])
            {
                return new Claim.Refused(IdempotencyConflict.InProgress, InProgress);
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var claim = Decide(await key.FindAsync(db, cancellationToken), key, hash, now);
        if (claim is not Claim.Stale stale)
        {
            return claim;
        }

        // Replaced in this transaction, so a rollback keeps it. The condition makes one of two servers
        // that both saw the same stale record win (an older server takes a lapsed lease over by update).
        var lockedUntil = stale.Record.LockedUntil;
        var removed = await (stale.Record.ExpiresAt <= now
                ? key.In(db).Where(r => r.ExpiresAt <= now)
                : key.In(db).Where(r => r.ResponseStatus == null && r.LockedUntil == lockedUntil))
            .ExecuteDeleteAsync(cancellationToken);
        return removed == 1 ? new Claim.New() : new Claim.Refused(IdempotencyConflict.InProgress, InProgress);
    }

    private Task AnswerAsync(HttpContext context, Claim claim)
    {
        switch (claim)
        {
            case Claim.Replay replay:
                metrics.IdempotentReplay();
                return ReplayAsync(context, replay.Record);
            case Claim.Refused refused:
                metrics.IdempotencyConflict(refused.Reason);
                return ErrorWriter.WriteAsync(context, StatusCodes.Status409Conflict, new ApiError(ErrorCodes.Conflict, refused.Message));
            default:
                throw new InvalidOperationException($"{claim} is not an answer.");
        }
    }

    /// <summary>
    /// In one transaction: claims the key, runs the request and stores its response in the key's row.
    /// Only 2xx and 4xx (but 409 and 429) are stored and committed: a 5xx, 409 or 429 may succeed on
    /// retry, so the transaction is rolled back, the request's changes and the key with it.
    /// </summary>
    private async Task RunAndStoreAsync(HttpContext context, HoursmithDb db, KeyOf key, byte[] hash)
    {
        var originalBody = context.Response.Body;
        using var buffer = new MemoryStream();
        Claim? answer;
        var writers = db.Database.IsPostgresStore() ? null : sqliteWriters.Semaphore;
        if (writers is not null)
        {
            await WaitForTurnAsync(writers, context.RequestAborted);
        }

        // Once the transaction begins, the request runs to its end (see RunInTransactionAsync).
        var aborted = context.RequestAborted;
        try
        {
            // A client that went away before anything began is not a database error (EF logs a cancelled BEGIN as one).
            aborted.ThrowIfCancellationRequested();
            context.RequestAborted = CancellationToken.None;
            answer = await RunInTransactionAsync(context, db, key, hash, buffer);
        }
        finally
        {
            context.RequestAborted = aborted;
            context.Response.Body = originalBody;
            writers?.Release();
        }

        if (answer is not null)
        {
            // The key's answer (a replay or a refusal) instead of the request's: nothing was sent,
            // and whatever the request changed is rolled back.
            context.Response.Clear();
            await AnswerAsync(context, answer);
            return;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(originalBody, context.RequestAborted);
    }

    /// <summary>
    /// SQLite allows one write transaction at a time, and a connection that finds the write lock taken
    /// waits for it by sleeping and retrying, its thread blocked. Keyed POSTs, which hold a write transaction for the whole
    /// request, queue for it here instead, in order and without a thread each (other writers still meet
    /// the database's lock). A request waits at most as long as SQLite would (its busy timeout), then
    /// fails as it would.
    /// </summary>
    private static async Task WaitForTurnAsync(SemaphoreSlim writers, CancellationToken cancellationToken)
    {
        if (!await writers.WaitAsync(s_sqliteWriterWait, cancellationToken))
        {
            throw new TimeoutException("Waited too long for the database's write lock.");
        }
    }

    /// <summary>
    /// Claims the key, runs the request with its response going to <paramref name="buffer"/>, and
    /// commits both with the key's row, or rolls all of it back. Returns the answer instead of the
    /// request's when the key turned out to be taken.
    /// </summary>
    /// <remarks>
    /// Once its transaction has begun, a request runs to its end even if the client hangs up (its
    /// caller swaps <see cref="HttpContext.RequestAborted"/> for a token that never fires): its outcome
    /// is stored for the retry the client will send, which then replays it, and no statement is
    /// interrupted halfway.
    /// SQLite answers an interrupted write by rolling the whole transaction back on its own, under
    /// EF Core's feet, whose rollback then fails and logs an error for a client's hang-up.
    /// </remarks>
    private async Task<Claim?> RunInTransactionAsync(HttpContext context, HoursmithDb db, KeyOf key, byte[] hash, MemoryStream buffer)
    {
        // An exception leaves the transaction to its disposal, which rolls it back.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var claim = await ClaimAsync(db, key, hash, CancellationToken.None);
        if (claim is not Claim.New)
        {
            // A finished request's key (replayed, or refused for another body), or one in flight.
            await transaction.RollbackAsync(CancellationToken.None);
            return claim;
        }

        var createdAt = time.GetUtcNow().UtcDateTime;
        context.Response.Body = buffer;
        await next(context);
        var status = context.Response.StatusCode;
        var outcome = IsStored(status)
            ? await StoreAsync(db, new IdempotencyRecord
            {
                WorkspaceId = key.WorkspaceId,
                MemberId = key.MemberId,
                Key = key.Key,
                RequestHash = hash,
                CreatedAt = createdAt,
                ExpiresAt = createdAt + options.Value.Retention,
                ResponseStatus = status,
                ResponseContentType = context.Response.ContentType,
                ResponseLocation = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                ResponseBody = buffer.ToArray(),
            })
            : Outcome.RolledBack;
        if (outcome == Outcome.Stored)
        {
            await transaction.CommitAsync(CancellationToken.None);
            return null;
        }

        await transaction.RollbackAsync(CancellationToken.None);
        return outcome == Outcome.Taken ? new Claim.Refused(IdempotencyConflict.InProgress, InProgress) : null;
    }

    private enum Outcome
    {
        RolledBack,
        Stored,
        /// <summary>The key was inserted by a server that claims keys in a transaction of its own, while this request ran.</summary>
        Taken,
    }

    /// <summary>
    /// Adds the key's row, with the response, to the transaction: one INSERT (<see cref="RowInsert{T}"/>),
    /// not a SaveChanges, so nothing the endpoint left unsaved is saved with it (the response is final).
    /// If the insert fails, the whole transaction is rolled back.
    /// </summary>
    private static async Task<Outcome> StoreAsync(HoursmithDb db, IdempotencyRecord record)
    {
        try
        {
            await RowInsert<IdempotencyRecord>.ExecuteAsync(db, record, CancellationToken.None);
            return Outcome.Stored;
        }
        catch (DbException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            // Only possible on PostgreSQL next to an older server, which inserts its claim without the
            // advisory lock: on SQLite this transaction has held the write lock since the key was read.
            return Outcome.Taken;
        }
    }

    private static bool IsStored(int status) => status is >= 200 and < 300 || (status is >= 400 and < 500 && status is not (409 or 429));

    private static Task ReplayAsync(HttpContext context, IdempotencyRecord record)
    {
        var response = context.Response;
        response.StatusCode = record.ResponseStatus!.Value;
        response.Headers[ReplayedHeaderName] = "true";
        if (record.ResponseContentType is { } contentType)
        {
            response.ContentType = contentType;
        }

        if (record.ResponseLocation is { } location)
        {
            response.Headers.Location = location;
        }

        return record.ResponseBody is { Length: > 0 } body ? response.Body.WriteAsync(body, context.RequestAborted).AsTask() : Task.CompletedTask;
    }

    /// <summary>SHA-256 of method, path and the body as canonical JSON (keys sorted, no whitespace), or its raw bytes.</summary>
    private static async Task<byte[]> RequestHashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var body = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        }
        catch (Exception failure) when (failure is not (BadHttpRequestException or OperationCanceledException))
        {
            // A body that cannot be read (a broken stream) is the request's fault: 400, never 500.
            throw ErrorHandling.BadRequest("The request body could not be read.", failure);
        }

        request.Body.Position = 0;

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path.Value}\n"));
        hash.AppendData(Canonical(body.GetBuffer().AsSpan(0, (int)body.Length)));
        return hash.GetHashAndReset();
    }

    private static byte[] Canonical(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return [];
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var output = new ArrayBufferWriter<byte>(body.Length);
            using (var writer = new Utf8JsonWriter(output))
            {
                WriteSorted(writer, document.RootElement);
            }

            return output.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or JSON that is not text (a lone surrogate escape, which the parser accepts but
            // no string can hold, so reading a name throws): compared byte for byte. The endpoint then
            // refuses such a body with 400 (JsonBody); the key is released like any failed request's.
            return body.ToArray();
        }
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteSorted(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteSorted(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
