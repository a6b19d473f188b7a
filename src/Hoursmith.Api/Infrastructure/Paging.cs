using Hoursmith.Api.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Infrastructure;

/// <summary>Rows with a time-ordered (UUIDv7) id: id order is creation order.</summary>
public interface IHasId
{
    Guid Id { get; }
}

/// <summary>
/// One page of a collection, newest first, continued by an opaque keyset cursor (never an
/// offset, so rows added while paging are neither skipped nor repeated).
/// </summary>
public static class Paging
{
    public static async Task<(ListEnvelope<TView>? Page, ApiErrorResult? Error)> PageAsync<T, TView>(
        IQueryable<T> query, PageQuery page, Func<T, TView> view, CancellationToken cancellationToken)
        where T : class, IHasId
    {
        if (!page.TryValidate(out var after, out var error))
        {
            return (null, error);
        }

        if (after is { } afterId)
        {
            query = query.Where(row => row.Id.CompareTo(afterId) < 0);
        }

        var limit = page.EffectiveLimit;
        var rows = await query.OrderByDescending(row => row.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > limit;
        var pageRows = hasMore ? rows[..limit] : rows;
        var next = hasMore ? PageQuery.EncodeCursor(pageRows[^1].Id) : null;
        return (new ListEnvelope<TView>([.. pageRows.Select(view)], new Pagination(limit, next)), null);
    }
}
