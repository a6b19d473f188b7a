using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Hoursmith.Api.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// The real application, recording every query its database context sends (text and parameter
/// values), so a test can ask the database how it runs exactly the query the API sent.
/// </summary>
public sealed class CommandCaptureFactory : ApiFactory
{
    private readonly CommandRecorder _recorder = new();

    public IReadOnlyCollection<CapturedCommand> Commands => _recorder.Commands;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            if (TempDatabase.IsPostgres)
            {
                services.ConfigureDbContext<PostgresHoursmithDb>(o => o.AddInterceptors(_recorder));
            }
            else
            {
                services.ConfigureDbContext<SqliteHoursmithDb>(o => o.AddInterceptors(_recorder));
            }
        });
    }

    /// <summary>
    /// The database's plan for <paramref name="command"/>, run with its own parameter values on a
    /// connection of its own: SQLite's EXPLAIN QUERY PLAN lines, or PostgreSQL's EXPLAIN lines after
    /// <paramref name="postgresSettings"/> (e.g. <c>SET enable_seqscan = off</c>).
    /// </summary>
    public async Task<IReadOnlyList<string>> PlanAsync(CapturedCommand command, string? postgresSettings = null)
    {
        await using DbConnection connection = TempDatabase.IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        if (TempDatabase.IsPostgres && postgresSettings is not null)
        {
            await using var settings = connection.CreateCommand();
            settings.CommandText = postgresSettings;
            await settings.ExecuteNonQueryAsync();
        }

        await using var explain = connection.CreateCommand();
        explain.CommandText = (TempDatabase.IsPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + command.Sql;
        foreach (var parameter in command.Parameters)
        {
            explain.Parameters.Add(parameter.Copy());
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // SQLite: (id, parent, notused, detail); PostgreSQL: one text column per line.
            lines.Add(reader.GetString(reader.FieldCount - 1));
        }

        return lines;
    }

    private sealed class CommandRecorder : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<CapturedCommand> _commands = new();

        public IReadOnlyCollection<CapturedCommand> Commands => _commands;

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        private void Record(DbCommand command) =>
            _commands.Enqueue(new CapturedCommand(command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(CapturedParameter.Of)]));
    }
}

public sealed record CapturedCommand(string Sql, IReadOnlyList<CapturedParameter> Parameters)
{
    public bool HasValue(string value) => Parameters.Any(p => p.Value is string text && text.Contains(value, StringComparison.Ordinal));
}

/// <summary>A parameter as the provider got it: name, value and the provider's own type.</summary>
public sealed record CapturedParameter(string Name, object? Value, DbType DbType, SqliteType? SqliteType, NpgsqlTypes.NpgsqlDbType? NpgsqlType)
{
    public static CapturedParameter Of(DbParameter parameter) => new(
        parameter.ParameterName,
        parameter.Value,
        parameter.DbType,
        (parameter as SqliteParameter)?.SqliteType,
        parameter is NpgsqlParameter npgsql ? npgsql.NpgsqlDbType : null);

    public DbParameter Copy()
    {
        if (NpgsqlType is { } npgsqlType)
        {
            return new NpgsqlParameter(Name, npgsqlType) { Value = Value ?? DBNull.Value };
        }

        return new SqliteParameter(Name, Value ?? DBNull.Value) { SqliteType = SqliteType ?? Microsoft.Data.Sqlite.SqliteType.Text };
    }
}
