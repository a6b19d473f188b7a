using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Hoursmith.Api.Data;
using Hoursmith.Api.Infrastructure.Validation;

namespace Hoursmith.Api.Infrastructure.Lists;

/// <summary>
/// What one collection declares about its list: sort fields, searched text fields and filters
/// (conventions.md). <see cref="ListQuery"/> applies it; the OpenAPI document describes it. A feature
/// declares its spec once, as a static field, and never writes paging code of its own.
/// </summary>
public sealed class ListSpec<T> : IListSpec where T : class, IHasId
{
    private readonly Dictionary<string, SortKey<T>> _sorts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ListFilter<T>> _filters = new(StringComparer.Ordinal);
    private readonly List<Expression<Func<T, string?>>> _search = [];
    private IReadOnlyList<ListFilter<T>>? _sortedFilters;

    /// <param name="collection">The collection's path segment, e.g. <c>time-entries</c>; cursors are bound to it.</param>
    /// <param name="createdAt">The creation timestamp: the default sort (<c>-createdAt</c>) and the createdAt range.</param>
    /// <param name="updatedAt">The update timestamp: sort and range, so integrations can sync incrementally.</param>
    public ListSpec(string collection, Expression<Func<T, DateTime>> createdAt, Expression<Func<T, DateTime>>? updatedAt)
    {
        Collection = collection;
        SortBy("createdAt", createdAt);
        TimestampRange("createdAt", createdAt);
        if (updatedAt is not null)
        {
            SortBy("updatedAt", updatedAt);
            TimestampRange("updatedAt", updatedAt);
        }

        _sorts["id"] = new SortKey<T, Guid>("id", row => row.Id, ListValues.Guid);
    }

    public string Collection { get; }

    public IReadOnlyCollection<string> SortFields => _sorts.Keys;

    public IReadOnlyCollection<ListParameter> Parameters => [.. _filters.Values.Select(f => f.Parameter)];

    public bool HasSearch => _search.Count > 0;

    public string SearchDescription { get; private set; } = "";

    internal SortKey<T>? Sort(string name) => _sorts.GetValueOrDefault(name);

    /// <summary>The declared filters by parameter name (ordinal): the order a cursor's binding lists them in.</summary>
    internal IReadOnlyList<ListFilter<T>> Filters => _sortedFilters ??= [.. _filters.Values.OrderBy(f => f.Parameter.Name, StringComparer.Ordinal)];

    internal IReadOnlyList<Expression<Func<T, string?>>> SearchFields => _search;

    public ListSpec<T> SortBy(string name, Expression<Func<T, DateTime>> key) => Add(new SortKey<T, DateTime>(name, key, ListValues.Timestamp));

    public ListSpec<T> SortBy(string name, Expression<Func<T, DateTime?>> key) => Add(new SortKey<T, DateTime?>(name, key, ListValues.NullableTimestamp));

    public ListSpec<T> SortBy(string name, Expression<Func<T, DateOnly>> key) => Add(new SortKey<T, DateOnly>(name, key, ListValues.Date));

    public ListSpec<T> SortBy(string name, Expression<Func<T, DateOnly?>> key) => Add(new SortKey<T, DateOnly?>(name, key, ListValues.NullableDate));

    public ListSpec<T> SortBy(string name, Expression<Func<T, long>> key) => Add(new SortKey<T, long>(name, key, ListValues.Long));

    public ListSpec<T> SortBy(string name, Expression<Func<T, long?>> key) => Add(new SortKey<T, long?>(name, key, ListValues.NullableLong));

    public ListSpec<T> SortBy(string name, Expression<Func<T, decimal>> key) => Add(new SortKey<T, decimal>(name, key, ListValues.Decimal));

    public ListSpec<T> SortBy(string name, Expression<Func<T, string>> key) => Add(new SortKey<T, string>(name, key, ListValues.Text));

    /// <summary>Sorts an enum by its declaration order (TODO &lt; IN_PROGRESS &lt; DONE, LOW &lt; HIGH), not by its stored name.</summary>
    public ListSpec<T> SortByRank<TEnum>(string name, Expression<Func<T, TEnum>> key) where TEnum : struct, Enum =>
        Add(new SortKey<T, int>(name, ListValues.Rank(key), ListValues.Int));

    /// <inheritdoc cref="SortByRank{TEnum}(string, Expression{Func{T, TEnum}})"/>
    public ListSpec<T> SortByRank<TEnum>(string name, Expression<Func<T, TEnum?>> key) where TEnum : struct, Enum =>
        Add(new SortKey<T, int?>(name, ListValues.Rank(key), ListValues.NullableInt));

    /// <summary><c>?search=</c>: a case-insensitive partial match over these text fields.</summary>
    public ListSpec<T> Search(string description, params Expression<Func<T, string?>>[] fields)
    {
        _search.AddRange(fields);
        SearchDescription = description;
        return this;
    }

    /// <summary>An id filter (<c>projectId=…</c>).</summary>
    public ListSpec<T> IdFilter(string name, Expression<Func<T, Guid>> field) =>
        Add(ListFilter<T>.Equal(name, "uuid", field, text => ListValues.ParseGuid(text), $"Only rows whose {name} is this id."));

    /// <inheritdoc cref="IdFilter(string, Expression{Func{T, Guid}})"/>
    public ListSpec<T> IdFilter(string name, Expression<Func<T, Guid?>> field) =>
        Add(ListFilter<T>.Equal(name, "uuid", field, text => ListValues.ParseGuid(text), $"Only rows whose {name} is this id."));

    /// <summary>A boolean filter: <c>true/false/1/0/yes/no</c>.</summary>
    public ListSpec<T> BoolFilter(string name, Expression<Func<T, bool>> field) =>
        Add(ListFilter<T>.Equal(name, "boolean", field, text => ListValues.ParseBool(text), "true/false, 1/0 or yes/no."));

    /// <summary>An enum filter in any letter case (<c>status=active</c> = <c>ACTIVE</c>).</summary>
    public ListSpec<T> EnumFilter<TEnum>(string name, Expression<Func<T, TEnum>> field) where TEnum : struct, Enum =>
        Add(ListFilter<T>.Equal(name, string.Join('|', WireEnum<TEnum>.Names), field, text => WireEnum<TEnum>.TryParse(text, out var v) ? v : null, $"One of {string.Join(", ", WireEnum<TEnum>.Names)}, any letter case."));

    /// <inheritdoc cref="EnumFilter{TEnum}(string, Expression{Func{T, TEnum}})"/>
    public ListSpec<T> EnumFilter<TEnum>(string name, Expression<Func<T, TEnum?>> field) where TEnum : struct, Enum =>
        Add(ListFilter<T>.Equal(name, string.Join('|', WireEnum<TEnum>.Names), field, text => WireEnum<TEnum>.TryParse(text, out var v) ? v : null, $"One of {string.Join(", ", WireEnum<TEnum>.Names)}, any letter case."));

    /// <summary><c>&lt;name&gt;From</c>/<c>&lt;name&gt;To</c> over a date, both inclusive.</summary>
    public ListSpec<T> DateRange(string name, Expression<Func<T, DateOnly>> field) =>
        AddRange(name, "date", field, text => ListValues.ParseDateBound(text), text => ListValues.ParseDateBound(text));

    /// <inheritdoc cref="DateRange(string, Expression{Func{T, DateOnly}})"/>
    public ListSpec<T> DateRange(string name, Expression<Func<T, DateOnly?>> field) =>
        AddRange(name, "date", field, text => ListValues.ParseDateBound(text), text => ListValues.ParseDateBound(text));

    /// <summary>
    /// <c>&lt;name&gt;From</c>/<c>&lt;name&gt;To</c> over a timestamp, both inclusive; a bare date means
    /// UTC midnight as a lower bound and the whole day as an upper bound.
    /// </summary>
    public ListSpec<T> TimestampRange(string name, Expression<Func<T, DateTime>> field) =>
        AddRange(name, "date-time", field, text => ListValues.ParseTimestampBound(text, upper: false), text => ListValues.ParseTimestampBound(text, upper: true));

    /// <inheritdoc cref="TimestampRange(string, Expression{Func{T, DateTime}})"/>
    public ListSpec<T> TimestampRange(string name, Expression<Func<T, DateTime?>> field) =>
        AddRange(name, "date-time", field, text => ListValues.ParseTimestampBound(text, upper: false), text => ListValues.ParseTimestampBound(text, upper: true));

    /// <summary><c>&lt;name&gt;Min</c>/<c>&lt;name&gt;Max</c> over a whole number, both inclusive.</summary>
    public ListSpec<T> NumberRange(string name, Expression<Func<T, long?>> field) =>
        AddRange(name, "integer", field, text => ListValues.ParseLong(text), text => ListValues.ParseLong(text), "Min", "Max");

    /// <summary><c>&lt;name&gt;Min</c>/<c>&lt;name&gt;Max</c> over an amount (a decimal string, at most 2 decimals, within whole cents' range), both inclusive.</summary>
    public ListSpec<T> AmountRange(string name, Expression<Func<T, decimal>> field) =>
        AddRange(name, "decimal", field, text => ListValues.ParseAmount(text), text => ListValues.ParseAmount(text), "Min", "Max");

    /// <summary>
    /// A case-insensitive partial-match filter over a text column of the row or of a row it references
    /// (<c>clientName</c>: <c>e =&gt; e.Client.Name</c>), folded and indexed exactly as <c>?search=</c> is
    /// (<see cref="ListSearch.Matching"/>).
    /// </summary>
    public ListSpec<T> TextFilter(string name, string description, Expression<Func<T, string?>> field) =>
        Add(new ListFilter<T>(new ListParameter(name, "string", description), (text, db) => ListSearch.Matching(field, text, db)));

    /// <summary>A filter whose predicate the feature builds from the raw value (null → 400).</summary>
    public ListSpec<T> CustomFilter(string name, string format, string description, Func<string, Expression<Func<T, bool>>?> predicate) =>
        Add(new ListFilter<T>(new ListParameter(name, format, description), predicate));

    private ListSpec<T> Add(SortKey<T> sort)
    {
        _sorts[sort.Name] = sort;
        return this;
    }

    private ListSpec<T> Add(ListFilter<T> filter)
    {
        _filters[filter.Parameter.Name] = filter;
        _sortedFilters = null;
        return this;
    }

    private ListSpec<T> AddRange<TValue>(string name, string format, Expression<Func<T, TValue>> field,
        Func<string, object?> lower, Func<string, object?> upper, string fromSuffix = "From", string toSuffix = "To")
    {
        Add(ListFilter<T>.Compare(name + fromSuffix, format, field, lower, ExpressionType.GreaterThanOrEqual, $"Only rows whose {name} is at or after/above this (inclusive)."));
        Add(ListFilter<T>.Compare(name + toSuffix, format, field, upper, ExpressionType.LessThanOrEqual, $"Only rows whose {name} is at or before/below this (inclusive)."));
        return this;
    }
}

/// <summary>The non-generic face of a spec, for the OpenAPI document.</summary>
public interface IListSpec
{
    IReadOnlyCollection<string> SortFields { get; }
    IReadOnlyCollection<ListParameter> Parameters { get; }
    bool HasSearch { get; }
    string SearchDescription { get; }
}

public sealed record ListParameter(string Name, string Format, string Description);

/// <summary>A declared filter: turns the raw query value into a predicate, or null when it is not valid (400).</summary>
internal sealed class ListFilter<T>(ListParameter parameter, Func<string, HoursmithDb, Expression<Func<T, bool>>?> predicate)
{
    /// <summary>A comparison of one column with the parsed value, which <see cref="ListSql"/> writes itself; null for any other filter.</summary>
    public (string Property, string Operator, Func<string, object?> Parse)? Column { get; private init; }

    public ListFilter(ListParameter parameter, Func<string, Expression<Func<T, bool>>?> predicate)
        : this(parameter, (text, _) => predicate(text))
    {
    }

    public ListParameter Parameter { get; } = parameter;

    /// <param name="db">The request's context: a filter that reads a search index queries it.</param>
    public Expression<Func<T, bool>>? PredicateFor(string value, HoursmithDb db) => predicate(value, db);

    public static ListFilter<T> Equal<TValue>(string name, string format, Expression<Func<T, TValue>> field, Func<string, object?> parse, string description) =>
        new(new ListParameter(name, format, description), text => parse(text) is { } value ? Build(field, value, ExpressionType.Equal) : null)
        {
            Column = ColumnOf(field, ExpressionType.Equal, parse),
        };

    public static ListFilter<T> Compare<TValue>(string name, string format, Expression<Func<T, TValue>> field, Func<string, object?> parse, ExpressionType comparison, string description) =>
        new(new ListParameter(name, format, description), text => parse(text) is { } value ? Build(field, value, comparison) : null)
        {
            Column = ColumnOf(field, comparison, parse),
        };

    // Only a plain column (ListSql.PlainColumn).
    private static (string, string, Func<string, object?>)? ColumnOf<TValue>(Expression<Func<T, TValue>> field, ExpressionType comparison, Func<string, object?> parse)
    {
        var op = comparison switch
        {
            ExpressionType.Equal => "=",
            ExpressionType.GreaterThanOrEqual => ">=",
            ExpressionType.LessThanOrEqual => "<=",
            _ => null,
        };
        return op is not null && ListSql.PlainColumn(field) is { } property ? (property, op, parse) : null;
    }

    private static Expression<Func<T, bool>> Build<TValue>(Expression<Func<T, TValue>> field, object value, ExpressionType comparison)
    {
        var body = field.Body;
        var constant = ListValues.Parameter(value, body.Type);
        return Expression.Lambda<Func<T, bool>>(Expression.MakeBinary(comparison, body, constant), field.Parameters);
    }
}

/// <summary>Parsing and formatting of list values: query text in, invariant cursor text out.</summary>
internal static class ListValues
{
    public static readonly ValueFormat<DateTime> Timestamp = new(v => v.ToString("O", CultureInfo.InvariantCulture), t => DateTime.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
    public static readonly ValueFormat<DateTime?> NullableTimestamp = Nullable(Timestamp);
    public static readonly ValueFormat<DateOnly> Date = new(v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), t => DateOnly.ParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture));
    public static readonly ValueFormat<DateOnly?> NullableDate = Nullable(Date);
    public static readonly ValueFormat<long> Long = new(v => v.ToString(CultureInfo.InvariantCulture), t => long.Parse(t, CultureInfo.InvariantCulture));
    public static readonly ValueFormat<long?> NullableLong = Nullable(Long);
    public static readonly ValueFormat<int> Int = new(v => v.ToString(CultureInfo.InvariantCulture), t => int.Parse(t, CultureInfo.InvariantCulture));
    public static readonly ValueFormat<int?> NullableInt = Nullable(Int);
    public static readonly ValueFormat<decimal> Decimal = new(v => v.ToString(CultureInfo.InvariantCulture), t => decimal.Parse(t, CultureInfo.InvariantCulture));
    public static readonly ValueFormat<string> Text = new(v => v, t => t);
    public static readonly ValueFormat<Guid> Guid = new(v => v.ToString("N"), t => System.Guid.ParseExact(t, "N"));

    private static ValueFormat<TValue?> Nullable<TValue>(ValueFormat<TValue> inner) where TValue : struct =>
        new(v => v is { } x ? inner.Format(x) : null, t => inner.Parse(t));

    public static Guid? ParseGuid(string text) => System.Guid.TryParse(text, out var id) ? id : null;

    public static bool? ParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => null,
    };

    public static long? ParseLong(string text) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>
    /// A money bound: a decimal with at most two decimals (the stored precision of amounts) that whole
    /// cents can hold (<see cref="StoredRange.MaxAmount"/>); a larger one cannot be compared with a
    /// cents column, so it is refused (400) rather than clamped.
    /// </summary>
    public static decimal? ParseAmount(string text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)
            && decimal.Round(v, 2) == v && StoredRange.Contains(v) ? v : null;

    /// <summary>
    /// A date bound: <c>YYYY-MM-DD</c>, or a full timestamp whose UTC date is taken; one outside the
    /// stored range is clamped to just outside it (<see cref="StoredRange.ClampBound(DateOnly)"/>),
    /// which selects the same rows, so <c>1970-01-01</c> still means "from the beginning".
    /// </summary>
    public static DateOnly? ParseDateBound(string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return StoredRange.ClampBound(date);
        }

        return ParseIsoTimestamp(text) is { } timestamp ? StoredRange.ClampBound(DateOnly.FromDateTime(timestamp)) : null;
    }

    /// <summary>
    /// A timestamp bound; a bare date is UTC midnight (lower) or the day's last tick (upper), so the day
    /// is included. Clamped like a date bound, before the day is added: <c>9999-12-31</c> cannot overflow.
    /// </summary>
    public static DateTime? ParseTimestampBound(string text, bool upper)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var midnight = StoredRange.ClampBound(date).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return upper ? midnight.AddDays(1).AddTicks(-1) : midnight;
        }

        return ParseIsoTimestamp(text) is { } timestamp ? StoredRange.ClampBound(timestamp) : null;
    }

    // ISO 8601 only ("2026-11-22T14:03:00Z", with or without seconds, fractions or an offset; no offset = UTC):
    // a lenient parser would read "2026-3-5" or "March 5" as something the client did not mean.
    private static readonly string[] s_isoFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static DateTime? ParseIsoTimestamp(string text) =>
        DateTimeOffset.TryParseExact(text, s_isoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            ? timestamp.UtcDateTime
            : null;

    /// <summary>An enum's declaration rank as a SQL CASE, so it sorts by meaning on every provider.</summary>
    public static Expression<Func<T, int>> Rank<T, TEnum>(Expression<Func<T, TEnum>> key) where TEnum : struct, Enum
    {
        Expression body = Expression.Constant(int.MaxValue);
        var values = Enum.GetValues<TEnum>();
        for (var i = values.Length - 1; i >= 0; i--)
        {
            body = Expression.Condition(Expression.Equal(key.Body, Expression.Constant(values[i])), Expression.Constant(i), body);
        }

        return Expression.Lambda<Func<T, int>>(body, key.Parameters);
    }

    /// <inheritdoc cref="Rank{T, TEnum}(Expression{Func{T, TEnum}})"/>
    public static Expression<Func<T, int?>> Rank<T, TEnum>(Expression<Func<T, TEnum?>> key) where TEnum : struct, Enum
    {
        Expression body = Expression.Constant(null, typeof(int?));
        var values = Enum.GetValues<TEnum>();
        for (var i = values.Length - 1; i >= 0; i--)
        {
            body = Expression.Condition(Expression.Equal(key.Body, Expression.Constant(values[i], typeof(TEnum?))), Expression.Constant(i, typeof(int?)), body);
        }

        return Expression.Lambda<Func<T, int?>>(body, key.Parameters);
    }

    private static readonly MethodInfo s_contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo s_toLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;

    /// <summary>U+212A and U+017F: the only letters outside ASCII that SQLite's FTS5 folds to ASCII ones (k, s).</summary>
    public const int KelvinSign = 0x212A;
    public const int LongS = 0x017F;

    private static readonly MethodInfo s_replace = typeof(string).GetMethod(nameof(string.Replace), [typeof(string), typeof(string)])!;

    /// <summary>
    /// SQLite: any of the fields contains any of the strings once folded as FTS5 folds ASCII letters,
    /// i.e. <c>instr(replace(replace(lower(field), 'K', 'k'), 'ſ', 's'), @variant) &gt; 0</c> (SQLite's
    /// lower() folds ASCII only; the variants spell out other letters' cases,
    /// <see cref="ListSearch.SqliteCaseVariants"/>). The two replace() calls cost a third more per row
    /// and matter only to a variant with a k or an s in a field with a Kelvin sign or long s, so they
    /// are spent only then: <c>instr(lower(f), @v) &gt; 0 OR (instr(f, 'K') + instr(f, 'ſ') &gt; 0 AND …)</c>.
    /// </summary>
    public static Expression<Func<T, bool>> ContainsAnyFolded<T>(IEnumerable<Expression<Func<T, string?>>> fields, IReadOnlyList<string> variants)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var kelvin = Expression.Constant(char.ConvertFromUtf32(KelvinSign));
        var longS = Expression.Constant(char.ConvertFromUtf32(LongS));
        Expression? any = null;
        foreach (var field in fields)
        {
            var value = Apply(field, row);
            var lowered = Expression.Call(value, s_toLower);
            var folded = Expression.Call(Expression.Call(lowered, s_replace, kelvin, Expression.Constant("k")), s_replace, longS, Expression.Constant("s"));
            var hasFoldable = Expression.OrElse(Expression.Call(value, s_contains, kelvin), Expression.Call(value, s_contains, longS));
            foreach (var variant in variants)
            {
                var parameter = Parameter(variant, typeof(string));
                Expression contains = Expression.Call(lowered, s_contains, parameter);
                if (variant.Contains('k', StringComparison.Ordinal) || variant.Contains('s', StringComparison.Ordinal))
                {
                    contains = Expression.OrElse(contains, Expression.AndAlso(hasFoldable, Expression.Call(folded, s_contains, parameter)));
                }

                var match = Expression.AndAlso(Expression.NotEqual(value, Expression.Constant(null, typeof(string))), contains);
                any = any is null ? match : Expression.OrElse(any, match);
            }
        }

        return Expression.Lambda<Func<T, bool>>(any ?? Expression.Constant(false), row);
    }

    /// <summary>
    /// A lambda's body with its one parameter replaced by <paramref name="argument"/>: a field over
    /// another row parameter (to combine several fields in one lambda), or a predicate on a column.
    /// </summary>
    public static Expression Apply<TArgument, TResult>(Expression<Func<TArgument, TResult>> lambda, Expression argument) =>
        new ParameterReplacer(lambda.Parameters[0], argument).Visit(lambda.Body);

    private sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    /// <summary>A value as a query parameter (not an inlined literal), so EF caches one plan per shape.</summary>
    public static Expression Parameter(object? value, Type type) => s_parameterFactories.GetOrAdd(type, CreateParameterFactory)(value);

    // One factory per value type, built once: a list request makes several parameters, and
    // MakeGenericType plus Activator on each was measurable on the hot path.
    private static readonly ConcurrentDictionary<Type, Func<object?, Expression>> s_parameterFactories = new();

    private static Func<object?, Expression> CreateParameterFactory(Type type) =>
        typeof(ListValues).GetMethod(nameof(HolderParameter), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).CreateDelegate<Func<object?, Expression>>();

    private static MemberExpression HolderParameter<TValue>(object? value) =>
        Expression.Property(Expression.Constant(new Holder<TValue>((TValue)value!)), Holder<TValue>.ValueProperty);

    private sealed class Holder<TValue>(TValue value)
    {
        public static readonly PropertyInfo ValueProperty = typeof(Holder<TValue>).GetProperty(nameof(Value))!;

        public TValue Value { get; } = value;
    }
}

internal sealed record ValueFormat<TValue>(Func<TValue, string?> Format, Func<string, TValue> Parse);

/// <summary>A sort field: orders a query, continues after a cursor position, and reads a row's key.</summary>
internal abstract class SortKey<T>(string name)
{
    public string Name { get; } = name;

    public abstract IOrderedQueryable<T> Order(IQueryable<T> query, bool descending);

    /// <summary>Rows strictly after <paramref name="position"/> in this order; null when the cursor's key cannot be read.</summary>
    public abstract IQueryable<T>? After(IQueryable<T> query, CursorPosition position, bool descending);

    public abstract string? KeyOf(T row);

    /// <summary>The property the key is, when <see cref="ListSql"/> can sort and continue on it; otherwise null.</summary>
    public virtual string? Column => null;

    /// <summary>A cursor's key as the key's value; false when it cannot be read.</summary>
    public virtual bool TryParseKey(string? text, out object? value)
    {
        value = null;
        return false;
    }
}
