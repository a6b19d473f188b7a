using System.Globalization;
using System.Reflection;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Infrastructure.Lists;

/// <summary>
/// The common list parameters of every collection (<c>limit</c>, <c>cursor</c>, <c>sort</c>,
/// <c>search</c>, <c>includeDeleted</c>) plus the filters its <see cref="ListSpec{T}"/> declares, read
/// from the query string. <see cref="PageAsync"/> is the only paging code in the API.
/// </summary>
public sealed class ListQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxSearchLength = 200;
    public const string DefaultSort = "-createdAt";

    private readonly IQueryCollection _query;
    private readonly ListCursor _cursors;
    private readonly IServiceProvider _services;

    private ListQuery(IQueryCollection query, ListCursor cursors, IServiceProvider services)
    {
        _query = query;
        _cursors = cursors;
        _services = services;
    }

    /// <summary>The request's own context: the one every list query comes from.</summary>
    private HoursmithDb Db => _services.GetRequiredService<HoursmithDb>();

    public static ValueTask<ListQuery?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<ListQuery?>(new ListQuery(context.Request.Query, context.RequestServices.GetRequiredService<ListCursor>(), context.RequestServices));

    /// <summary>
    /// One page of <paramref name="query"/> (already narrowed to what the caller may see), filtered,
    /// searched and sorted as asked, continued from the cursor.
    /// </summary>
    /// <param name="scope">
    /// The rows <paramref name="query"/> selects, as column equalities: when given, a plain page is read by
    /// <see cref="ListSql"/> (same rows, order, cursor and body) instead of through LINQ.
    /// </param>
    public async Task<Results<Ok<ListEnvelope<TView>>, ApiErrorResult>> PageAsync<T, TView>(
        ListSpec<T> spec, IQueryable<T> query, Caller caller, Func<T, TView> view, CancellationToken cancellationToken, ListScope? scope = null)
        where T : class, IHasId
    {
        if (scope is not null && PreparePlain(spec, caller, scope) is { } plain)
        {
            var read = await ListSql.ReadAsync<T>(Db, plain.SoftDeleteFilter, plain.Conditions, plain.Sort.Column!, plain.Descending, plain.After, plain.Limit + 1, cancellationToken);
            return Answer(read, plain.Sort, plain.Limit, plain.Binding, view);
        }

        var (prepared, error) = Prepare(spec, query, caller);
        if (prepared is null)
        {
            return ApiErrors.BadRequest(error!);
        }

        var (ordered, sort, limit, binding, indexedSearch) = prepared;
        List<T> rows;
        if (indexedSearch is not null && await indexedSearch.IsRare(cancellationToken))
        {
            // A rare search term: the search index answers without a walk (ListSearch).
            rows = await ReadAsync(indexedSearch.Query, limit + 1, cancellationToken);
        }
        else
        {
            rows = await ReadAsync(ordered, limit + 1, cancellationToken);
            if (indexedSearch is not null && rows.Count <= limit)
            {
                // The bounded walk of a search did not fill the page: the search index answers (ListSearch).
                rows = await ReadAsync(indexedSearch.Query, limit + 1, cancellationToken);
            }
        }

        return Answer(rows, sort, limit, binding, view);
    }

    private Ok<ListEnvelope<TView>> Answer<T, TView>(List<T> rows, SortKey<T> sort, int limit, byte[] binding, Func<T, TView> view)
        where T : class, IHasId
    {
        var hasMore = rows.Count > limit;
        var count = hasMore ? limit : rows.Count;
        var next = hasMore ? _cursors.Encode(new CursorPosition(sort.KeyOf(rows[count - 1]), rows[count - 1].Id), binding) : null;
        var views = new TView[count];
        for (var i = 0; i < count; i++)
        {
            views[i] = view(rows[i]);
        }

        return TypedResults.Ok(new ListEnvelope<TView>(views, new Pagination(limit, next)));
    }

    private sealed record Plain<T>(SortKey<T> Sort, bool Descending, int Limit, byte[] Binding, bool SoftDeleteFilter,
        List<ListSql.Condition> Conditions, ListSql.Keyset? After);

    /// <summary>
    /// A valid page that <see cref="ListSql"/> can answer (no search; column filters and sort); null for
    /// anything else, invalid requests included, which <see cref="Prepare"/> then answers (its 400s).
    /// Reads limit, sort and includeDeleted through <see cref="ReadShape"/>, as <see cref="Prepare"/> does,
    /// and binds filters in the same order, so the cursor binding is the same.
    /// </summary>
    private Plain<T>? PreparePlain<T>(ListSpec<T> spec, Caller caller, ListScope scope)
        where T : class, IHasId
    {
        if (ReadShape(spec, caller).Shape is not { Sort.Column: not null } shape || Single("search") is not null)
        {
            return null;
        }

        var (sort, descending, limit, includeDeleted, boundTo) = shape;
        var softDeleteFilter = !includeDeleted && typeof(ISoftDeletable).IsAssignableFrom(typeof(T));
        var conditions = new List<ListSql.Condition>(scope.Equalities.Length + 4);
        foreach (var (property, value) in scope.Equalities)
        {
            conditions.Add(new ListSql.Condition(property, "=", value));
        }

        foreach (var filter in spec.Filters)
        {
            if (Single(filter.Parameter.Name) is not { } text)
            {
                continue;
            }

            if (filter.Column is not { } column || column.Parse(text) is not { } value)
            {
                return null;
            }

            conditions.Add(new ListSql.Condition(column.Property, column.Operator, value));
            boundTo.AddRange([filter.Parameter.Name, text]);
        }

        var binding = ListCursor.Binding(boundTo);
        ListSql.Keyset? after = null;
        if (Single("cursor") is { } cursorText)
        {
            if (_cursors.Decode(cursorText, binding) is not { } position || !sort.TryParseKey(position.Key, out var key) || key is null)
            {
                return null;
            }

            after = new ListSql.Keyset(key, position.Id);
        }

        return new Plain<T>(sort, descending, limit, binding, softDeleteFilter, conditions, after);
    }

    /// <summary>
    /// The first <paramref name="count"/> rows. Microsoft.Data.Sqlite runs its async methods synchronously
    /// (SQLite has no async I/O) and advises against them: on SQLite the rows are read synchronously,
    /// which spares an async step per row.
    /// </summary>
    private ValueTask<List<T>> ReadAsync<T>(IQueryable<T> query, int count, CancellationToken cancellationToken) =>
        Db.Database.IsSqliteStore()
            ? ValueTask.FromResult(query.Take(count).ToList())
            : new ValueTask<List<T>>(query.Take(count).ToListAsync(cancellationToken));

    private sealed record Prepared<T>(IQueryable<T> Query, SortKey<T> Sort, int Limit, byte[] Binding, IndexedPage<T>? IndexedSearch = null);

    /// <summary>A search's page from the index (<see cref="IndexedSearch{T}"/>, filtered and ordered as the list).</summary>
    private sealed record IndexedPage<T>(IQueryable<T> Query, Func<CancellationToken, Task<bool>> IsRare);

    /// <summary>
    /// What every page reads first, in a fixed order (the first invalid one is the 400's message): the
    /// limit, the sort, control characters in any filter or search, and includeDeleted; with the start
    /// of the cursor's binding. Both ways of answering a page read it here, so their cursors agree.
    /// </summary>
    private (Shape<T>? Shape, string? Error) ReadShape<T>(ListSpec<T> spec, Caller caller)
        where T : class, IHasId
    {
        var limit = DefaultLimit;
        if (Single("limit") is { } limitText && !(int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit))
        {
            return (null, $"limit must be a whole number from 1 to {MaxLimit}.");
        }

        var sortText = Single("sort") ?? DefaultSort;
        var descending = sortText.StartsWith('-');
        if (spec.Sort(descending ? sortText[1..] : sortText) is not { } sort)
        {
            return (null, $"sort must be one of {string.Join(", ", spec.SortFields)} (prefix - for descending).");
        }

        // No list value means anything with a control character in it, and in search terms and text
        // filters one would reach a query language: a NUL breaks SQLite's FTS5 MATCH and cannot be a
        // PostgreSQL text parameter at all. Refused here once, for every collection.
        foreach (var name in spec.Filters.Select(f => f.Parameter.Name).Prepend("search"))
        {
            if (Single(name) is { } text && HasControlCharacters(text))
            {
                return (null, $"{name} must not contain control characters (U+0000 to U+001F).");
            }
        }

        // Bound to the member too: a cursor reveals a row's sort key, and no one else should replay it.
        List<string> boundTo = [caller.WorkspaceId.ToString("N"), caller.MemberId.ToString("N"), spec.Collection, sort.Name, descending ? "desc" : "asc"];
        var includeDeleted = false;
        if (Single("includeDeleted") is { } includeText)
        {
            if (ListValues.ParseBool(includeText) is not { } included)
            {
                return (null, "includeDeleted must be true or false.");
            }

            includeDeleted = included;
            if (includeDeleted)
            {
                boundTo.Add("includeDeleted");
            }
        }

        return (new Shape<T>(sort, descending, limit, includeDeleted, boundTo), null);
    }

    private sealed record Shape<T>(SortKey<T> Sort, bool Descending, int Limit, bool IncludeDeleted, List<string> BoundTo);

    /// <summary>Applies every parameter in a fixed order; the first invalid one is the 400's message.</summary>
    private (Prepared<T>? Prepared, string? Error) Prepare<T>(ListSpec<T> spec, IQueryable<T> query, Caller caller)
        where T : class, IHasId
    {
        var (shape, shapeError) = ReadShape(spec, caller);
        if (shape is null)
        {
            return (null, shapeError);
        }

        var (sort, descending, limit, includeDeleted, boundTo) = shape;
        if (includeDeleted)
        {
            query = query.IgnoreQueryFilters();
        }

        SearchFilter<T>? walkFirst = null;
        if (Single("search") is { } search)
        {
            if (!spec.HasSearch)
            {
                return (null, "This collection does not support search.");
            }

            if (search.Length > MaxSearchLength)
            {
                return (null, $"search must be at most {MaxSearchLength} characters.");
            }

            var filter = ListSearch.For(spec, search, Db);
            if (filter.Index is null)
            {
                query = query.Where(filter.Filter);
            }
            else
            {
                walkFirst = filter;
            }

            boundTo.AddRange(["search", search]);
        }

        foreach (var filter in spec.Filters)
        {
            if (Single(filter.Parameter.Name) is not { } value)
            {
                continue;
            }

            if (filter.PredicateFor(value, Db) is not { } predicate)
            {
                return (null, $"{filter.Parameter.Name} must be {DescribeFormat(filter.Parameter.Format)}.");
            }

            query = query.Where(predicate);
            boundTo.AddRange([filter.Parameter.Name, value]);
        }

        var binding = ListCursor.Binding(boundTo);
        if (Single("cursor") is { } cursorText)
        {
            if (_cursors.Decode(cursorText, binding) is not { } position || sort.After(query, position, descending) is not { } after)
            {
                return (null, "cursor is not valid for this query: pass pagination.nextCursor unchanged, with the same sort, search and filters.");
            }

            query = after;
        }

        if (walkFirst is { Index: { } index })
        {
            // Search by walking at most a bounded number of rows in the list's order, then by the index.
            var walk = sort.Order(query, descending).Take(ListSearch.WalkBudget(limit)).Where(walkFirst.Filter);
            var indexed = new IndexedPage<T>(sort.Order(query.Where(index.Filter), descending), index.IsRare);
            return (new Prepared<T>(sort.Order(walk, descending), sort, limit, binding, indexed), null);
        }

        return (new Prepared<T>(sort.Order(query, descending), sort, limit, binding), null);
    }

    private static bool HasControlCharacters(string text) => text.Any(c => c < ' ');

    /// <summary>A parameter's one value; blank counts as absent.</summary>
    private string? Single(string name) =>
        _query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[^1]) ? values[^1]!.Trim() : null;

    /// <summary>A filter's format in the API's words (never a .NET type name): "a date (YYYY-MM-DD)".</summary>
    internal static string DescribeFormat(string format) => format switch
    {
        "boolean" => "true or false",
        "integer" => "a whole number",
        "uuid" => "a UUID (the id of the resource)",
        "date" => "a date (YYYY-MM-DD)",
        "date-time" => "a date and time in ISO 8601 (2026-01-31T09:00:00Z)",
        "decimal" => string.Create(CultureInfo.InvariantCulture, $"an amount with at most two decimals, such as 125.50, from -{Validation.StoredRange.MaxAmount} to {Validation.StoredRange.MaxAmount}"),
        _ when format.Contains('|', StringComparison.Ordinal) => $"one of {format.Replace("|", ", ", StringComparison.Ordinal)}",
        _ => $"a valid {format}",
    };
}
