using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Hoursmith.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Infrastructure.Lists;

/// <summary>
/// <c>?search=</c>: a case-insensitive substring match over a collection's declared text fields,
/// answered from a substring index on each store (docs/lists.md, "Search"; the indexes:
/// <see cref="SearchIndexes"/>). The only code that knows how each provider searches.
/// </summary>
internal static class ListSearch
{
    /// <summary>The shortest term (in Unicode code points) a trigram index can answer.</summary>
    public const int IndexedLength = 3;

    private static readonly ConditionalWeakTable<object, SqliteSearch> s_sqlite = [];

    /// <summary>
    /// A term in at least 1 of this many rows fills a page by walking the list in order (SQLite, see
    /// <see cref="For"/>): the walk reads at most this many rows per row asked for.
    /// </summary>
    public const int WalkRowsPerHit = 200;

    /// <summary>The rows a bounded walk reads for a page of <paramref name="limit"/> rows (and one more, to know there is a next page).</summary>
    public static int WalkBudget(int limit) => WalkRowsPerHit * (limit + 1);

    public static SearchFilter<T> For<T>(ListSpec<T> spec, string term, HoursmithDb db) where T : class, IHasId
    {
        // PostgreSQL: ILIKE over each field, ORed; its planner can BitmapOr the fields' trigram indexes, or
        // walk the list's order index and filter when it expects the page to fill early.
        if (Unindexed(spec.SearchFields, term, db) is { } unindexed)
        {
            return new SearchFilter<T>(unindexed);
        }

        // The ids the FTS5 trigram table matches, as an IN subquery the rest of the query composes with.
        var sqlite = s_sqlite.GetValue(spec, _ => SqliteSearch.For(db, typeof(T), spec.SearchFields.Select(field =>
            field.Body is MemberExpression { Expression: ParameterExpression, Member: var member }
                ? member
                : throw new InvalidOperationException($"Search field {field} of {typeof(T).Name} is not a column of its table, so no search index can hold it."))));
        var ids = sqlite.Ids(db, term);
        Expression<Func<T, bool>> indexed = row => ids.Contains(row.Id);
        if (!term.All(char.IsAscii))
        {
            return new SearchFilter<T>(indexed);
        }

        // SQLite has no statistics on a MATCH, so it cannot weigh the index against the list's order as
        // PostgreSQL does: it reads every match (thousands for a common word) and sorts them. So the index
        // is first asked how many rows match, counting no further than IndexFirstMatches: a rare term (a
        // ticket number, a name) is answered by the index at once; a common one by a bounded walk in the
        // list's order, testing each row exactly as the index folds an ASCII term, and by the index only
        // when that walk does not fill the page.
        var matches = db.Database.SqlQueryRaw<int>(sqlite.CountSql, sqlite.Query(term), IndexFirstMatches);
        return new SearchFilter<T>(ListValues.ContainsAnyFolded(spec.SearchFields, [SqliteFold(term)]),
            new IndexedSearch<T>(indexed, async cancellationToken => await matches.SingleAsync(cancellationToken) < IndexFirstMatches));
    }

    /// <summary>
    /// SQLite: a term matching fewer rows than this (in the whole index, every workspace) is answered by
    /// the index without a walk first. Reading and sorting this many matches costs about what the walk
    /// of <see cref="WalkBudget"/> rows for a page of 50 does (docs/lists.md, "Search").
    /// </summary>
    public const int IndexFirstMatches = 1000;

    /// <summary>
    /// A filter's case-insensitive partial match over one text column, of the row (<c>e =&gt; e.Name</c>)
    /// or of a row it references (<c>e =&gt; e.Client.Name</c>), folded as <c>?search=</c> folds: on
    /// PostgreSQL ILIKE; on SQLite, a term of 3 or more characters asks the referenced table's search
    /// index which rows match (an IN over their ids; no walk, the filter has no order of its own to
    /// walk) and a shorter one compares each value in every letter case.
    /// </summary>
    public static Expression<Func<T, bool>> Matching<T>(Expression<Func<T, string?>> field, string term, HoursmithDb db)
    {
        if (Unindexed([field], term, db) is { } unindexed)
        {
            return unindexed;
        }

        var (owner, column) = field.Body is MemberExpression { Expression: { } row, Member: var member } && typeof(IHasId).IsAssignableFrom(row.Type)
            ? (row, member)
            : throw new InvalidOperationException($"Text filter {field} is not a column of a row with an id.");
        var ids = s_sqlite.GetValue(field, _ => SqliteSearch.For(db, owner.Type, [column])).Ids(db, term);
        Expression<Func<Guid, bool>> matches = id => ids.Contains(id);
        return Expression.Lambda<Func<T, bool>>(ListValues.Apply(matches, Expression.Property(owner, nameof(IHasId.Id))), field.Parameters);
    }

    /// <summary>
    /// The match where no SQLite search index is read: ILIKE on PostgreSQL (which picks its trigram
    /// indexes itself), and on SQLite a term too short for a trigram, each value tested as the FTS5
    /// table would fold it. Null: a SQLite term of 3 or more characters, for the index.
    /// </summary>
    private static Expression<Func<T, bool>>? Unindexed<T>(IReadOnlyList<Expression<Func<T, string?>>> fields, string term, HoursmithDb db)
    {
        if (db.Database.IsPostgresStore())
        {
            return ILikeAny(fields, term);
        }

        if (!db.Database.IsSqliteStore())
        {
            throw new NotSupportedException($"Search is not implemented for {db.Database.ProviderName}.");
        }

        return term.EnumerateRunes().Count() < IndexedLength ? ListValues.ContainsAnyFolded(fields, SqliteCaseVariants(term)) : null;
    }

    /// <summary>Any field ILIKE '%term%', with the term's own %, _ and \ literal.</summary>
    private static Expression<Func<T, bool>> ILikeAny<T>(IEnumerable<Expression<Func<T, string?>>> fields, string term)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var escaped = term.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
        var pattern = ListValues.Parameter($"%{escaped}%", typeof(string));
        var functions = Expression.Property(null, typeof(EF), nameof(EF.Functions));
        // Explicit: Npgsql otherwise writes ESCAPE '' (no escape character at all).
        var escape = Expression.Constant(@"\");
        Expression? any = null;
        foreach (var field in fields)
        {
            var value = ListValues.Apply(field, row);
            var match = Expression.Call(s_iLike, functions, value, pattern, escape);
            any = any is null ? match : Expression.OrElse(any, match);
        }

        return Expression.Lambda<Func<T, bool>>(any ?? Expression.Constant(false), row);
    }

    private static readonly MethodInfo s_iLike = typeof(NpgsqlDbFunctionsExtensions)
        .GetMethod(nameof(NpgsqlDbFunctionsExtensions.ILike), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    /// <param name="Sql">The ids whose FTS5 row matches the query given as the one parameter.</param>
    /// <param name="CountSql">How many FTS5 rows match the query (the first parameter), counting no further than the second.</param>
    /// <param name="Columns">The FTS5 column filter of the spec's fields: <c>{Name Email}</c>.</param>
    private sealed record SqliteSearch(string Sql, string CountSql, string Columns)
    {
        /// <summary>The search of <paramref name="columns"/> (properties of <paramref name="entityType"/>) in its table's index.</summary>
        public static SqliteSearch For(HoursmithDb db, Type entityType, IEnumerable<MemberInfo> columns)
        {
            var entity = db.Model.FindEntityType(entityType)!;
            var table = entity.GetTableName()!;
            var fts = SearchIndexes.SqliteTable(table);
            var names = columns.Select(member => entity.FindProperty(member.Name) is { } property
                && SearchIndexes.Columns.Any(c => c.Entity == entityType && c.Columns.Contains(member.Name))
                    ? property.GetColumnName()
                    : throw new InvalidOperationException($"{entityType.Name}.{member.Name} is not in its table's search index (SearchIndexes.Columns)."));
            return new SqliteSearch(
                $"SELECT \"Id\" AS \"Value\" FROM \"{SearchIndexes.SqliteIdTable(table)}\" WHERE \"DocId\" IN (SELECT rowid FROM \"{fts}\" WHERE \"{fts}\" MATCH {{0}})",
                $"SELECT count(*) AS \"Value\" FROM (SELECT 1 FROM \"{fts}\" WHERE \"{fts}\" MATCH {{0}} LIMIT {{1}})",
                $"{{{string.Join(' ', names)}}}");
        }

        /// <summary>The ids of the rows whose indexed columns contain <paramref name="term"/>.</summary>
        public IQueryable<Guid> Ids(HoursmithDb db, string term) => db.Database.SqlQueryRaw<Guid>(Sql, Query(term));

        /// <summary>
        /// The term as one literal FTS5 string (a phrase in double quotes, its own quotes doubled: no
        /// operator, wildcard or column filter in a term means anything), in the spec's fields only.
        /// </summary>
        public string Query(string term) => $"{Columns} : \"{term.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }

    /// <summary>
    /// A term as the walk compares it with <see cref="ListValues.ContainsAnyFolded"/>'s folding of a
    /// field: ASCII letters lowered, and the two letters FTS5 folds to ASCII letters (the Kelvin sign,
    /// long s) replaced by them.
    /// </summary>
    internal static string SqliteFold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            folded.Append(SqliteFold(rune).ToString());
        }

        return folded.ToString();
    }

    private static Rune SqliteFold(Rune rune) => rune.IsAscii ? Rune.ToLowerInvariant(rune) : rune.Value switch
    {
        ListValues.KelvinSign => new Rune('k'),
        ListValues.LongS => new Rune('s'),
        _ => rune,
    };

    /// <summary>
    /// The term in every case SQLite must look for in a field as <see cref="ListValues.ContainsAnyFolded"/>
    /// folds it (ASCII only): each other letter as given, in lower and in upper case (at most 3 × 3
    /// strings for the 1 or 2 code points this is used for).
    /// </summary>
    internal static IReadOnlyList<string> SqliteCaseVariants(string term)
    {
        IEnumerable<string> variants = [""];
        foreach (var rune in term.EnumerateRunes())
        {
            var forms = new[] { rune, Rune.ToLowerInvariant(rune), Rune.ToUpperInvariant(rune) }
                .Select(SqliteFold)
                .Distinct()
                .Select(r => r.ToString())
                .ToList();
            variants = variants.SelectMany(prefix => forms.Select(form => prefix + form)).ToList();
        }

        return [.. variants];
    }
}

/// <summary>
/// How a list applies <c>?search=</c>: <paramref name="Filter"/>, exact on its own; with
/// <paramref name="Index"/> (SQLite, a term of 3 or more ASCII characters), the indexed filter (the
/// same results) answers at once when the term is rare, and otherwise the filter is tried first on a
/// bounded walk of the list (<see cref="ListSearch.WalkBudget"/>) and the indexed filter answers when
/// the walk does not fill the page.
/// </summary>
internal sealed record SearchFilter<T>(Expression<Func<T, bool>> Filter, IndexedSearch<T>? Index = null);

/// <summary>A search's indexed filter, and whether its term is rare enough to skip the walk.</summary>
internal sealed record IndexedSearch<T>(Expression<Func<T, bool>> Filter, Func<CancellationToken, Task<bool>> IsRare);
