namespace Hoursmith.Api.Data.Entities;

/// <summary>
/// One <c>Idempotency-Key</c> of one member (inside their workspace): the request it was first used for (a hash) and
/// its response, replayed to every retry for 24 hours. The row is inserted, response included, in the
/// request's own transaction, so a committed row always holds a response. Only older servers, which
/// committed the key before running the request, left rows without one: "in flight" until
/// <see cref="LockedUntil"/>, after which a retry takes the key over (the crash committed nothing).
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid WorkspaceId { get; set; }
    /// <summary>
    /// Whose key it is. <see cref="Guid.Empty"/> marks a record stored before keys were scoped to the
    /// member, whose owner is unknown: it is replayed to no one (see IdempotencyMiddleware).
    /// </summary>
    public Guid MemberId { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of method, path and canonical JSON body.</summary>
    public required byte[] RequestHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    /// <summary>The lease of an older server's in-flight claim; null on every row this server writes.</summary>
    public DateTime? LockedUntil { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseContentType { get; set; }
    public string? ResponseLocation { get; set; }
    public byte[]? ResponseBody { get; set; }
}
