using System.Buffers;
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
    /// How long a key stays "in progress" for a request that has not finished. A request that
    /// crashed committed nothing, so once this runs out a retry may take the key over.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often expired keys are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Exactly-once POSTs (conventions.md, Idempotency). Every authenticated POST carries an
/// <c>Idempotency-Key</c>; the first request with a key runs inside one database transaction that
/// also stores its response, so a crash can never leave a created resource without its stored
/// response (nor the reverse). Retries with the same request replay that response; a different
/// request, or one while the first is still running, gets 409.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IOptions<IdempotencyOptions> options, TimeProvider time, HoursmithMetrics metrics)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext context, HoursmithDb db)
    {
        // Only POSTs that passed authentication and authorization; everything else is untouched.
        if (!HttpMethods.IsPost(context.Request.Method) || context.Features.Get<Caller>() is not { } caller || context.GetEndpoint() is null || DispatchingEndpoint.Is(context.GetEndpoint()) || !options.Value.Enabled)
        {
            await next(context);
            return;
        }

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
        var settings = options.Value;
        var claim = await ClaimAsync(db, key, hash, settings, context.RequestAborted);
        switch (claim)
        {
            case Claim.Replay replay:
                metrics.IdempotentReplay();
                await ReplayAsync(context, replay.Record);
                return;
            case Claim.Refused refused:
                metrics.IdempotencyConflict(refused.Reason);
                await ErrorWriter.WriteAsync(context, StatusCodes.Status409Conflict, new ApiError(ErrorCodes.Conflict, refused.Message));
                return;
        }

        await RunAndStoreAsync(context, db, key);
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
        public IQueryable<IdempotencyRecord> InOrBeforeMemberScope(HoursmithDb db)
        {
            var (workspaceId, memberId, key) = (WorkspaceId, MemberId, Key);
            return db.IdempotencyRecords.Where(r => r.WorkspaceId == workspaceId && (r.MemberId == memberId || r.MemberId == Guid.Empty) && r.Key == key);
        }
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
        public sealed record Owned : Claim;
        public sealed record Replay(IdempotencyRecord Record) : Claim;
        public sealed record Refused(IdempotencyConflict Reason, string Message) : Claim;
    }

    private const string DifferentRequest = "This Idempotency-Key was already used for a different request (another path or body); use a new key for a new request.";
    private const string InProgress = "A request with this Idempotency-Key is in progress; retry later.";
    private const string BeforeMemberScope = "This Idempotency-Key was used in this workspace before keys were kept per person, and whose request it was is unknown; use a new key for a new request.";

    /// <summary>
    /// Takes the key for this request (committed at once, so concurrent retries see it in flight),
    /// or says why not: the stored response to replay, or a refusal.
    /// </summary>
    private async Task<Claim> ClaimAsync(HoursmithDb db, KeyOf key, byte[] hash, IdempotencyOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var found = await key.InOrBeforeMemberScope(db).AsNoTracking().ToListAsync(cancellationToken);
            if (found.Any(r => r.MemberId == Guid.Empty && r.ExpiresAt > now))
            {
                // Replaying it could hand one person another's response, and running the request could
                // duplicate the first one's write: neither is safe until it expires (Retention after the upgrade).
                return new Claim.Refused(IdempotencyConflict.KeyBeforeMemberScope, BeforeMemberScope);
            }

            var existing = found.FirstOrDefault(r => r.MemberId == key.MemberId);
            if (existing is not null && existing.ExpiresAt <= now)
            {
                await key.In(db).Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
                existing = null;
            }

            if (existing is null)
            {
                var record = new IdempotencyRecord
                {
                    WorkspaceId = key.WorkspaceId,
                    MemberId = key.MemberId,
                    Key = key.Key,
                    RequestHash = hash,
                    CreatedAt = now,
                    ExpiresAt = now + settings.Retention,
                    LockedUntil = now + settings.Lease,
                };
                db.IdempotencyRecords.Add(record);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return new Claim.Owned();
                }
                catch (DbUpdateException)
                {
                    // Another request inserted the same key first: look again.
                    continue;
                }
                finally
                {
                    db.Entry(record).State = EntityState.Detached;
                }
            }

            if (!CryptographicOperations.FixedTimeEquals(existing.RequestHash, hash))
            {
                return new Claim.Refused(IdempotencyConflict.DifferentRequest, DifferentRequest);
            }

            if (existing.ResponseStatus is not null)
            {
                return new Claim.Replay(existing);
            }

            if (existing.LockedUntil > now)
            {
                return new Claim.Refused(IdempotencyConflict.InProgress, InProgress);
            }

            // The first request's lease ran out (it crashed and committed nothing): take the key over.
            var taken = await key.In(db)
                .Where(r => r.ResponseStatus == null && r.LockedUntil == existing.LockedUntil)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedUntil, now + settings.Lease), cancellationToken);
            return taken == 1 ? new Claim.Owned() : new Claim.Refused(IdempotencyConflict.InProgress, InProgress);
        }

        return new Claim.Refused(IdempotencyConflict.InProgress, InProgress);
    }

    /// <summary>
    /// Runs the request in a transaction and stores its response in the same one. Only 2xx and
    /// 4xx (but 409 and 429) are stored: a 5xx, 409 or 429 may succeed on retry, so its changes are
    /// rolled back and the key is released.
    /// </summary>
    private async Task RunAndStoreAsync(HttpContext context, HoursmithDb db, KeyOf key)
    {
        var originalBody = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var stored = false;
        try
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted))
            {
                await next(context);
                var status = context.Response.StatusCode;
                if (IsStored(status))
                {
                    var body = buffer.ToArray();
                    var contentType = context.Response.ContentType;
                    var location = context.Response.Headers.Location.ToString();
                    await key.In(db).ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.ResponseStatus, status)
                        .SetProperty(r => r.ResponseContentType, contentType)
                        .SetProperty(r => r.ResponseLocation, location.Length > 0 ? location : null)
                        .SetProperty(r => r.ResponseBody, body)
                        .SetProperty(r => r.LockedUntil, (DateTime?)null), CancellationToken.None);
                    await transaction.CommitAsync(CancellationToken.None);
                    stored = true;
                }
            }
        }
        finally
        {
            context.Response.Body = originalBody;
            if (!stored)
            {
                // Rolled back (or failed): free the key so a retry runs the request again.
                db.ChangeTracker.Clear();
                await key.In(db).Where(r => r.ResponseStatus == null).ExecuteDeleteAsync(CancellationToken.None);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(originalBody, context.RequestAborted);
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
