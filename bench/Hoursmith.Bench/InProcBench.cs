using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.TimeEntries;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Bench;

/// <summary>
/// The API's list handler called in-process: the real <c>TimeEntryEndpoints.ListTimeEntries</c>
/// (ListQuery, the list spec, EF on a pooled context, the view records), then the JSON the server
/// writes, with no HTTP, routing, authentication or logging. Between the SQL and the API figures, it
/// shows how much of the API's time is EF and serialization.
/// </summary>
internal static class InProcBench
{
    private delegate Task<Results<Ok<ListEnvelope<TimeEntryView>>, ApiErrorResult>> ListHandler(
        ListQuery query, Caller caller, HoursmithDb db, CancellationToken cancellationToken);

    public static async Task<object> RunAsync(Options options)
    {
        var iterations = options.Int("iterations", 2000);
        var maxSeconds = options.Double("max-seconds", 20);
        var scenarios = Scenarios.Load(options);
        var queries = File.ReadAllLines(options.Required("queries"))
            .Select(line => line.Split('\t', 2))
            .Where(parts => parts.Length == 2 && (options.Optional("only") is not { } only || parts[0] == only))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

        // The handler is internal to the app; the benchmark calls the very method the route calls.
        var handler = typeof(TimeEntryEndpoints).GetMethod("ListTimeEntries", BindingFlags.NonPublic | BindingFlags.Static)?.CreateDelegate<ListHandler>()
            ?? throw new InvalidOperationException("TimeEntryEndpoints.ListTimeEntries not found");

        // The server's cursor key (Hoursmith:CursorSecret), so the API's page cursors decode here too.
        var secret = Environment.GetEnvironmentVariable("Hoursmith__CursorSecret")
            ?? throw new ArgumentException("Hoursmith__CursorSecret must be set (the server's), so its cursors decode");
        var pool = Store.From(options, readOnly: true).Pool();
        // As in the app: the request's scope holds its one context (ListQuery's search reads it from there).
        var services = new ServiceCollection()
            .AddSingleton(new ListCursor(SHA256.HashData(Encoding.UTF8.GetBytes(secret))))
            .AddScoped(_ => pool())
            .BuildServiceProvider();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(json);
        var caller = new Caller(Guid.Empty, "bench", "bench", TokenEnvironment.Live, Guid.Parse(options.Required("member")), "Owner", "owner@bench.example",
            Role.Owner, scenarios.WorkspaceId, "Bench", Plan.Agency, PlanStatus.Active);

        var results = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, query) in queries)
        {
            async Task<(double Handler, double Json, string? FirstId)> Once()
            {
                var clock = Stopwatch.StartNew();
                await using var scope = services.CreateAsyncScope();
                var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
                context.Request.QueryString = new QueryString("?" + query);
                var list = (await ListQuery.BindAsync(context, null!))!;
                var db = scope.ServiceProvider.GetRequiredService<HoursmithDb>();
                var result = await handler(list, caller, db, CancellationToken.None);
                var handlerMs = clock.Elapsed.TotalMilliseconds;
                if (result.Result is not Ok<ListEnvelope<TimeEntryView>> { Value: { } envelope })
                {
                    throw new InvalidOperationException($"{name}: the handler did not answer 200 for ?{query}");
                }

                clock.Restart();
                var bytes = JsonSerializer.SerializeToUtf8Bytes(envelope, json);
                _ = bytes.Length;
                return (handlerMs, clock.Elapsed.TotalMilliseconds, envelope.Data.Count > 0 ? envelope.Data[0].Id.ToString() : null);
            }

            var (_, _, firstId) = await Once();
            SqlBench.Warm(iterations, () => Once().GetAwaiter().GetResult());

            var handlerSamples = new List<double>(iterations);
            var jsonSamples = new List<double>(iterations);
            var totals = new List<double>(iterations);
            var budget = Stopwatch.StartNew();
            while (handlerSamples.Count < iterations && (handlerSamples.Count < 20 || budget.Elapsed.TotalSeconds < maxSeconds))
            {
                var (h, j, _) = await Once();
                handlerSamples.Add(h);
                jsonSamples.Add(j);
                totals.Add(h + j);
            }

            results[name] = new
            {
                p50Ms = Percentile(totals, 0.50),
                p99Ms = Percentile(totals, 0.99),
                handlerP50Ms = Percentile(handlerSamples, 0.50),
                jsonP50Ms = Percentile(jsonSamples, 0.50),
                iterations = totals.Count,
                firstId,
            };
        }

        return new { results };
    }

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        return Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 3);
    }
}
