using System.Collections.Concurrent;
using System.Data.Common;
using System.Linq.Expressions;
using System.Text;
using Hoursmith.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hoursmith.Api.Infrastructure.Lists;

/// <summary>
/// What a feature's list may see, stated as column equalities (<c>WorkspaceId = w</c>, and
/// <c>MemberId = m</c> for a Member's own rows) rather than as LINQ: with it, a plain page (filters on
/// columns, a column sort, a cursor; no search) runs as <see cref="ListSql"/>. It must select exactly
/// the rows of the query the feature passes along, which answers every other page.
/// </summary>
public sealed record ListScope(params (string Property, object Value)[] Equalities);

/// <summary>
/// The hot path of a plain page: per query shape, the SQL EF would send (the same columns, filters, keyset
/// and order) is built once from the EF model and kept as a relational command; per request only its values
/// are bound and the rows read straight into the entity. EF's LINQ pipeline (building the expression,
/// funcletizing it, hashing it for the query cache) and its shaper were most of a cheap page's cost. The
/// command still runs through EF's command pipeline: the context's connection and transaction, its
/// interceptors and its command log, with parameters typed by the properties' mappings and converters.
/// </summary>
internal static class ListSql
{
    private static readonly ConcurrentDictionary<(IModel Model, string Shape), IRelationalCommand> s_commands = new();

    /// <summary>Types that compare and order in SQL as in .NET on both stores (not text, not money in cents).</summary>
    private static readonly HashSet<Type> s_plainTypes = [typeof(Guid), typeof(bool), typeof(DateOnly), typeof(DateTime), typeof(long)];

    /// <summary>
    /// The property <paramref name="field"/> reads when it is a column of its own (<c>row =&gt; row.X</c>) of
    /// a plain type, which this class can filter and sort on itself; otherwise null (LINQ answers).
    /// </summary>
    public static string? PlainColumn(LambdaExpression field) =>
        field.Body is MemberExpression { Expression: ParameterExpression } member
            && s_plainTypes.Contains(Nullable.GetUnderlyingType(field.ReturnType) ?? field.ReturnType)
            ? member.Member.Name
            : null;

    /// <summary>A keyset condition on one non-nullable column, strictly after (key, id) in the sort's direction.</summary>
    public sealed record Keyset(object Key, Guid Id);

    public sealed record Condition(string Property, string Operator, object Value);

    /// <summary>
    /// Up to <paramref name="take"/> rows where every condition holds, after the keyset (if any), ordered
    /// by <paramref name="sortProperty"/> then Id in the direction asked.
    /// </summary>
    public static async ValueTask<List<T>> ReadAsync<T>(HoursmithDb db, bool softDeleteFilter, IReadOnlyList<Condition> conditions,
        string sortProperty, bool descending, Keyset? after, int take, CancellationToken cancellationToken)
        where T : class
    {
        var model = db.Model;
        var shape = new StringBuilder(typeof(T).FullName).Append('|').Append(softDeleteFilter).Append('|').Append(sortProperty).Append(descending ? "|desc|" : "|asc|")
            .Append(after is null ? "first" : "after");
        foreach (var c in conditions)
        {
            shape.Append('|').Append(c.Property).Append(c.Operator);
        }

        var command = s_commands.GetOrAdd((model, shape.ToString()), _ => Build<T>(db, softDeleteFilter, conditions, sortProperty, descending, after is not null));

        // Parameter names p0, p1… in the order Build numbered them: the conditions, then the keyset and the page size.
        var values = new Dictionary<string, object?>(conditions.Count + 3) { ["take"] = take };
        for (var i = 0; i < conditions.Count; i++)
        {
            values["p" + i] = conditions[i].Value;
        }

        if (after is not null)
        {
            values["k"] = after.Key;
            values["kid"] = after.Id;
        }

        var parameters = new RelationalCommandParameterObject(
            db.GetService<IRelationalConnection>(), values, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.LinqQuery);
        var sqlite = db.Database.IsSqliteStore();
        var read = Materializer<T>.For(model);
        var rows = new List<T>(take);
        if (sqlite)
        {
            // Microsoft.Data.Sqlite runs async methods synchronously anyway (see ListQuery.ReadAsync).
            using var reader = command.ExecuteReader(parameters);
            var data = reader.DbDataReader;
            while (data.Read())
            {
                rows.Add(read(data));
            }
        }
        else
        {
            await using var reader = await command.ExecuteReaderAsync(parameters, cancellationToken);
            var data = reader.DbDataReader;
            while (await data.ReadAsync(cancellationToken))
            {
                rows.Add(read(data));
            }
        }

        return rows;
    }

    private static IRelationalCommand Build<T>(HoursmithDb db, bool softDeleteFilter, IReadOnlyList<Condition> conditions,
        string sortProperty, bool descending, bool after)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create();
        var alias = sql.DelimitIdentifier("t");
        string Column(string property) => alias + "." + sql.DelimitIdentifier(Property(entity, property).GetColumnName());
        string Parameter(string name, string property)
        {
            var p = Property(entity, property);
            builder.AddParameter(name, sql.GenerateParameterName(name), p.GetRelationalTypeMapping(), p.IsNullable);
            return sql.GenerateParameterNamePlaceholder(name);
        }

        var where = new List<string>();
        if (softDeleteFilter)
        {
            where.Add(Column("DeletedAt") + " IS NULL");
        }

        for (var i = 0; i < conditions.Count; i++)
        {
            where.Add($"{Column(conditions[i].Property)} {conditions[i].Operator} {Parameter("p" + i, conditions[i].Property)}");
        }

        var key = Column(sortProperty);
        var id = Column("Id");
        if (after)
        {
            // As Keyset.cs: the implied bound first (PostgreSQL seeks the index only with it), then beyond, or tied and past the id.
            var (beyond, bound) = descending ? ("<", "<=") : (">", ">=");
            var k = Parameter("k", sortProperty);
            var kid = Parameter("kid", "Id");
            where.Add($"{key} {bound} {k} AND ({key} {beyond} {k} OR ({key} = {k} AND {id} {beyond} {kid}))");
        }

        var columns = Materializer<T>.Columns(entity).Select(p => alias + "." + sql.DelimitIdentifier(p.GetColumnName()));
        var direction = descending ? " DESC" : "";
        builder.Append("SELECT ").Append(string.Join(", ", columns)).AppendLine()
            .Append("FROM ").Append(sql.DelimitIdentifier(entity.GetTableName()!)).Append(" AS ").Append(alias).AppendLine();
        if (where.Count > 0)
        {
            builder.Append("WHERE ").Append(string.Join(" AND ", where)).AppendLine();
        }

        // The page size is a value like the others (docs/lists.md: never inlined).
        builder.AddParameter("take", sql.GenerateParameterName("take"), db.GetService<IRelationalTypeMappingSource>().FindMapping(typeof(int))!, nullable: false);
        builder.Append("ORDER BY ").Append(key).Append(direction).Append(", ").Append(id).Append(direction).AppendLine()
            .Append("LIMIT ").Append(sql.GenerateParameterNamePlaceholder("take"));
        return builder.Build();
    }

    private static IProperty Property(IEntityType entity, string name) =>
        entity.FindProperty(name) ?? throw new InvalidOperationException($"{entity.DisplayName()} has no property {name}.");

    /// <summary>
    /// Reads one row into a new entity, column by column in <see cref="Columns"/>'s order, with each
    /// property's reader method and value converter from its type mapping (as EF's own shaper does).
    /// </summary>
    private static class Materializer<T>
    {
        private static readonly ConcurrentDictionary<IModel, Func<DbDataReader, T>> s_readers = new();

        public static IReadOnlyList<IProperty> Columns(IEntityType entity) =>
            [.. entity.GetProperties().Where(p => !p.IsShadowProperty() && p.PropertyInfo is not null)];

        public static Func<DbDataReader, T> For(IModel model) => s_readers.GetOrAdd(model, m => Compile(m.FindEntityType(typeof(T))!));

        private static Func<DbDataReader, T> Compile(IEntityType entity)
        {
            var reader = Expression.Parameter(typeof(DbDataReader), "reader");
            var bindings = new List<MemberBinding>();
            var ordinal = 0;
            foreach (var property in Columns(entity))
            {
                var mapping = property.GetRelationalTypeMapping();
                var index = Expression.Constant(ordinal++);
                var method = mapping.GetDataReaderMethod();
                Expression value = Expression.Call(reader, method, index);
                if (mapping.Converter is { } converter)
                {
                    if (value.Type != converter.ProviderClrType)
                    {
                        value = Expression.Convert(value, converter.ProviderClrType);
                    }

                    value = Expression.Invoke(converter.ConvertFromProviderExpression, value);
                }

                var type = property.ClrType;
                if (value.Type != type)
                {
                    value = Expression.Convert(value, type);
                }

                if (property.IsNullable)
                {
                    value = Expression.Condition(
                        Expression.Call(reader, typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull), [typeof(int)])!, index),
                        Expression.Default(type), value);
                }

                bindings.Add(Expression.Bind(property.PropertyInfo!, value));
            }

            var row = Expression.Variable(typeof(T), "row");
            var create = ConstructorOnlySetsColumns(entity)
                ? (Expression)Expression.Convert(Expression.Call(s_uninitialized, Expression.Constant(typeof(T))), typeof(T))
                : Expression.New(typeof(T));
            var body = new List<Expression> { Expression.Assign(row, create) };
            body.AddRange(bindings.Cast<MemberAssignment>().Select(b => Expression.Assign(Expression.Property(row, (System.Reflection.PropertyInfo)b.Member), b.Expression)));
            body.Add(row);
            return Expression.Lambda<Func<DbDataReader, T>>(Expression.Block([row], body), reader).Compile();
        }

        private static readonly System.Reflection.MethodInfo s_uninitialized =
            typeof(System.Runtime.CompilerServices.RuntimeHelpers).GetMethod(nameof(System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject))!;

        /// <summary>
        /// Whether the constructor leaves nothing but the columns this reader sets anyway (every other field
        /// at its default), so it can be skipped: an entity's initializers (a new UUIDv7 id each) cost a
        /// measurable part of a page for values that are overwritten at once.
        /// </summary>
        private static bool ConstructorOnlySetsColumns(IEntityType entity)
        {
            if (typeof(T).IsAbstract || typeof(T).GetConstructor(Type.EmptyTypes) is null)
            {
                return false;
            }

            var columns = Columns(entity).Select(p => $"<{p.PropertyInfo!.Name}>k__BackingField").ToHashSet(StringComparer.Ordinal);
            var sample = Activator.CreateInstance<T>()!;
            for (var type = typeof(T); type is not null && type != typeof(object); type = type.BaseType)
            {
                foreach (var field in type.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public
                    | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
                {
                    var value = field.GetValue(sample);
                    var isDefault = value is null || (field.FieldType.IsValueType && value.Equals(Activator.CreateInstance(field.FieldType)));
                    if (!columns.Contains(field.Name) && !isDefault)
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }
}

