using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hoursmith.Api.Data;

/// <summary>
/// One row of <typeparamref name="T"/> inserted with the INSERT EF would send (every mapped column,
/// typed by the properties' mappings and converters), built once per model and run through EF's
/// command pipeline on the context's connection and open transaction. For a row written on every
/// request where SaveChanges' change tracking, command batching and SQL generation cost more than the
/// statement itself. The tracker is not involved: nothing else the context holds is saved with it.
/// Timestamps are cut to the microsecond as <see cref="HoursmithDb.SaveChangesAsync(bool, CancellationToken)"/> does.
/// A violated constraint throws the provider's exception (see <see cref="DatabaseErrors.IsUniqueViolation(Exception?)"/>).
/// </summary>
internal static class RowInsert<T>
    where T : class
{
    private static readonly ConcurrentDictionary<IModel, (IRelationalCommand Command, IProperty[] Columns, string[] Parameters)> s_commands = new();

    public static async Task ExecuteAsync(HoursmithDb db, T row, CancellationToken cancellationToken)
    {
        var (command, columns, names) = s_commands.GetOrAdd(db.Model, _ => Build(db));
        var values = new Dictionary<string, object?>(columns.Length);
        for (var i = 0; i < columns.Length; i++)
        {
            var value = columns[i].GetGetter().GetClrValueUsingContainingEntity(row);
            values[names[i]] = value is DateTime timestamp ? HoursmithDb.ToMicroseconds(timestamp) : value;
        }

        var parameters = new RelationalCommandParameterObject(
            db.GetService<IRelationalConnection>(), values, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.SaveChanges);
        if (db.Database.IsSqliteStore())
        {
            // Microsoft.Data.Sqlite runs async methods synchronously anyway (see ListQuery.ReadAsync).
            command.ExecuteNonQuery(parameters);
        }
        else
        {
            await command.ExecuteNonQueryAsync(parameters, cancellationToken);
        }
    }

    private static (IRelationalCommand, IProperty[], string[]) Build(HoursmithDb db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        if (entity.GetProperties().FirstOrDefault(p => p.ValueGenerated != ValueGenerated.Never || p.IsShadowProperty()) is { } unsupported)
        {
            // A generated value would have to be made or read back, a shadow value found in the tracker: SaveChanges does both.
            throw new InvalidOperationException($"{entity.DisplayName()}.{unsupported.Name} is generated or shadow; save {typeof(T).Name} with SaveChanges.");
        }

        var columns = entity.GetProperties().ToArray();
        var names = new string[columns.Length];
        var sql = db.GetService<ISqlGenerationHelper>();
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create();
        var placeholders = new List<string>(columns.Length);
        for (var i = 0; i < columns.Length; i++)
        {
            names[i] = "p" + i;
            builder.AddParameter(names[i], sql.GenerateParameterName(names[i]), columns[i].GetRelationalTypeMapping(), columns[i].IsNullable);
            placeholders.Add(sql.GenerateParameterNamePlaceholder(names[i]));
        }

        builder.Append("INSERT INTO ").Append(sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema()))
            .Append(" (").Append(string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName())))).Append(")").AppendLine()
            .Append("VALUES (").Append(string.Join(", ", placeholders)).Append(")");
        return (builder.Build(), columns, names);
    }
}
