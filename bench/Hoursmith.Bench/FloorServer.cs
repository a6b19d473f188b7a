using System.Data.Common;
using System.Security.Cryptography;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.TimeEntries;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hoursmith.Bench;

/// <summary>
/// The HTTP floor: the least any server can do to answer a scenario over HTTP. A bare Kestrel app
/// (no authentication, middleware, logging or EF) whose one route runs the scenario's hand-written
/// SQL (<see cref="SqlBench"/>) on a pooled connection, reads every row with typed getters into the
/// app's entity, maps the app's view records, signs a next cursor and writes the app's JSON envelope.
/// Timed with wrk like the API, it tells what HTTP and JSON alone add to the SQL.
/// </summary>
internal static class FloorServer
{
    public static async Task<object> RunAsync(Options options)
    {
        var values = SqlBench.Values(Scenarios.Load(options));
        var store = Store.From(options, readOnly: true);
        var queries = SqlBench.Queries(store.IsPostgres);
        var cursors = new ListCursor(RandomNumberGenerator.GetBytes(32));
        var binding = ListCursor.Binding(["floor", "time_entries"]);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Required("urls"));
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        var app = builder.Build();
        app.MapGet("/floor/{scenario}", Results<Ok<ListEnvelope<TimeEntryView>>, NotFound> (string scenario) =>
        {
            if (!queries.TryGetValue(scenario, out var sql))
            {
                return TypedResults.NotFound();
            }

            var rows = Read(store, sql, values);
            var hasMore = rows.Count > ListQuery.DefaultLimit;
            var page = hasMore ? rows[..ListQuery.DefaultLimit] : rows;
            var next = hasMore ? cursors.Encode(new CursorPosition(page[^1].EntryDate.ToString("O", System.Globalization.CultureInfo.InvariantCulture), page[^1].Id), binding) : null;
            return TypedResults.Ok(new ListEnvelope<TimeEntryView>([.. page.Select(TimeEntryView.From)], new Pagination(ListQuery.DefaultLimit, next)));
        });
        await app.RunAsync();
        return new { stopped = true };
    }

    /// <summary>Open, run, read every column into a <see cref="TimeEntry"/>, close: what a request does.</summary>
    private static List<TimeEntry> Read(Store store, string sql, IReadOnlyDictionary<string, object> values)
    {
        using var connection = store.Open();
        using var command = SqlBench.Command(connection, sql, values);
        using var reader = command.ExecuteReader();
        var rows = new List<TimeEntry>(ListQuery.DefaultLimit + 1);
        while (reader.Read())
        {
            // The column order of SqlBench.Columns.
            rows.Add(new TimeEntry
            {
                Id = reader.GetGuid(0),
                Billable = reader.GetBoolean(1),
                CreatedAt = reader.GetDateTime(2),
                DeletedAt = Nullable<DateTime>(reader, 3),
                DurationSeconds = Nullable<long>(reader, 4),
                EntryDate = reader.GetFieldValue<DateOnly>(5),
                InvoiceId = Nullable<Guid>(reader, 6),
                MemberId = reader.GetGuid(7),
                Note = reader.IsDBNull(8) ? null : reader.GetString(8),
                ProjectId = reader.GetGuid(9),
                StartedAt = Nullable<DateTime>(reader, 10),
                StoppedAt = Nullable<DateTime>(reader, 11),
                TaskId = Nullable<Guid>(reader, 12),
                UpdatedAt = reader.GetDateTime(13),
                WorkspaceId = reader.GetGuid(14),
            });
        }

        return rows;
    }

    private static T? Nullable<T>(DbDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}
