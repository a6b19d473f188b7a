namespace Hoursmith.Api.Infrastructure;

/// <summary>A single object: <c>{"data":{…}}</c>.</summary>
public sealed record DataEnvelope<T>(T Data);

/// <summary>A collection: <c>{"data":[…],"pagination":{"limit":50,"nextCursor":null}}</c>, identical on every list.</summary>
public sealed record ListEnvelope<T>(IReadOnlyList<T> Data, Pagination Pagination);

/// <param name="Limit">The page size that was applied.</param>
/// <param name="NextCursor">Pass as <c>?cursor=</c> for the next page; null on the last page.</param>
public sealed record Pagination(int Limit, string? NextCursor);
