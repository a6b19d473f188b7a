namespace Hoursmith.Api.Data.Entities;

/// <summary>
/// One <c>Idempotency-Key</c> of one member (inside their workspace): the request it was first used for (a hash) and,
/// once that request finished, its response, replayed to every retry for 24 hours. While the first
/// request runs the record is "in flight" until <see cref="LockedUntil"/>; a crashed request's
/// lease runs out, and a retry may then take the key over (the crash committed nothing).
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
    /// <summary>Set while in flight; null once the response is stored.</summary>
    public DateTime? LockedUntil { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseContentType { get; set; }
    public string? ResponseLocation { get; set; }
    public byte[]? ResponseBody { get; set; }
}
