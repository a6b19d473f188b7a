using System.Linq.Expressions;
using System.Reflection;

namespace Hoursmith.Api.Infrastructure.Lists;

/// <summary>
/// Keyset ordering on (key, id): a page continues strictly after the last row's (key, id), so rows
/// inserted or deleted meanwhile never shift what comes next (offsets would skip or repeat rows).
/// Nullable keys sort nulls first ascending and last descending on every provider, by ordering on
/// "is null" explicitly rather than trusting each database's default.
/// </summary>
internal sealed class SortKey<T, TKey>(string name, Expression<Func<T, TKey>> key, ValueFormat<TKey> format) : SortKey<T>(name)
    where T : class, IHasId
{
    private static readonly bool s_nullable = Nullable.GetUnderlyingType(typeof(TKey)) is not null;
    private static readonly MethodInfo s_guidCompare = typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!;
    private static readonly MethodInfo s_stringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
    private static readonly Expression<Func<T, Guid>> s_id = row => row.Id;

    private readonly Func<T, TKey> _read = key.Compile();
    private readonly ParameterExpression _row = key.Parameters[0];

    // A non-nullable key on a plain column of its own (ListSql).
    public override string? Column { get; } = s_nullable ? null : ListSql.PlainColumn(key);

    public override bool TryParseKey(string? text, out object? value)
    {
        value = null;
        if (text is null)
        {
            return false;
        }

        try
        {
            value = format.Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public override IOrderedQueryable<T> Order(IQueryable<T> query, bool descending)
    {
        if (s_nullable)
        {
            var isNull = Expression.Lambda<Func<T, bool>>(Expression.Equal(key.Body, Expression.Constant(null, typeof(TKey))), _row);
            // true sorts after false: descending on "is null" puts nulls first.
            var byNull = descending ? query.OrderBy(isNull) : query.OrderByDescending(isNull);
            return descending ? byNull.ThenByDescending(key).ThenByDescending(s_id) : byNull.ThenBy(key).ThenBy(s_id);
        }

        return descending ? query.OrderByDescending(key).ThenByDescending(s_id) : query.OrderBy(key).ThenBy(s_id);
    }

    public override IQueryable<T>? After(IQueryable<T> query, CursorPosition position, bool descending)
    {
        TKey? value;
        try
        {
            value = position.Key is null ? default : format.Parse(position.Key);
        }
        catch (FormatException)
        {
            return null;
        }

        if (position.Key is null && !s_nullable)
        {
            return null;
        }

        var k = key.Body;
        var id = Expression.Property(_row, nameof(IHasId.Id));
        var idAfter = Compare(id, ListValues.Parameter(position.Id, typeof(Guid)), descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
        Expression predicate;
        if (position.Key is null)
        {
            var keyIsNull = Expression.Equal(k, Expression.Constant(null, typeof(TKey)));
            // Nulls come first ascending: after a null, the remaining nulls by id, then every non-null.
            predicate = descending
                ? Expression.AndAlso(keyIsNull, idAfter)
                : Expression.OrElse(Expression.AndAlso(keyIsNull, idAfter), Expression.Not(keyIsNull));
        }
        else
        {
            var parameter = ListValues.Parameter(value, typeof(TKey));
            var beyond = Compare(k, parameter, descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
            var tie = Expression.AndAlso(Compare(k, parameter, ExpressionType.Equal), idAfter);
            // The bound "key <= k" (">=" ascending) is implied by the OR, but PostgreSQL seeks the index
            // only with it: without it a deep page walks every row before the cursor (docs/lists.md).
            var bound = Compare(k, parameter, descending ? ExpressionType.LessThanOrEqual : ExpressionType.GreaterThanOrEqual);
            predicate = Expression.AndAlso(bound, Expression.OrElse(beyond, tie));
            if (s_nullable)
            {
                var keyIsNull = Expression.Equal(k, Expression.Constant(null, typeof(TKey)));
                // Nulls come last descending (still ahead), and were already passed ascending.
                predicate = descending ? Expression.OrElse(keyIsNull, predicate) : Expression.AndAlso(Expression.Not(keyIsNull), predicate);
            }
        }

        return query.Where(Expression.Lambda<Func<T, bool>>(predicate, _row));
    }

    public override string? KeyOf(T row) => format.Format(_read(row));

    /// <summary>A comparison EF Core translates for every key type: operators, or CompareTo/Compare for Guid and string.</summary>
    private static BinaryExpression Compare(Expression left, Expression right, ExpressionType comparison)
    {
        if (left.Type == typeof(Guid))
        {
            return Expression.MakeBinary(comparison, Expression.Call(left, s_guidCompare, right), Expression.Constant(0));
        }

        if (left.Type == typeof(string))
        {
            return Expression.MakeBinary(comparison, Expression.Call(s_stringCompare, left, right), Expression.Constant(0));
        }

        return Expression.MakeBinary(comparison, left, right);
    }
}
