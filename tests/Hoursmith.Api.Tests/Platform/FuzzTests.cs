using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// "No input reaches a 500": a few thousand requests generated from the OpenAPI document (every
/// operation; sane, boundary and hostile bodies, query strings, path ids and headers), against
/// real rows, and for each: never a 5xx, every error in the envelope, never slow. The seed changes
/// each run and is printed; <c>HOURSMITH_FUZZ_SEED</c> replays one, <c>HOURSMITH_FUZZ_REQUESTS</c>
/// sets exactly how many requests. By default 3,000, or as many past 2,000 as fit in 40 s, so a pass
/// of the suite on a busy 2-core machine stays about a minute (the summary says how many were sent).
/// </summary>
public class FuzzTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const int MaxRequests = 3000;
    private const int MinRequests = 2000;
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan s_slow = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task No_generated_request_gets_a_5xx_a_bare_error_or_a_slow_answer()
    {
        var seed = Environment.GetEnvironmentVariable("HOURSMITH_FUZZ_SEED") is { Length: > 0 } given
            ? given
            : new PCG((uint)Random.Shared.Next(), (ulong)Random.Shared.NextInt64()).ToString();
        int? exactly = int.TryParse(Environment.GetEnvironmentVariable("HOURSMITH_FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

        var (pools, ownerToken, memberToken) = await SetupAsync();
        var http = factory.ClientWith(null, idempotencyKeys: false);
        http.Timeout = TimeSpan.FromSeconds(30);
        var operations = FuzzOperation.From(await (await http.GetAsync("/api/openapi.json")).ReadJsonAsync());
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations in the OpenAPI document");

        var values = new FuzzValues(PCG.Parse(seed));
        var requests = new FuzzRequests(values, pools, ownerToken, memberToken);
        var logsBefore = factory.Logs.Entries.Count;
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        var failed = 0;
        var slowest = (Elapsed: TimeSpan.Zero, Request: "");
        var byOperation = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var started = Stopwatch.StartNew();
        bool More(int sent) => exactly is { } wanted ? sent < wanted : sent < MinRequests || (sent < MaxRequests && started.Elapsed < s_budget);
        var count = 0;
        for (; More(count); count++)
        {
            var request = requests.Next(count, operations);
            var problem = await SendAsync(http, request, pools, statuses, (elapsed, status) =>
            {
                if (elapsed > slowest.Elapsed)
                {
                    slowest = (elapsed, $"#{request.Index} {request.Method} {request.Operation.Path}");
                }

                var key = $"{request.Operation}: {status}";
                byOperation[key] = byOperation.GetValueOrDefault(key) + 1;
            });
            if (problem is not null)
            {
                failed++;
                if (failures.Count < 10)
                {
                    failures.Add($"{problem}\n{request.Describe()}");
                }
            }
        }

        var errors = factory.Logs.Entries.Skip(logsBefore).Where(e => e.StartsWith("Error ", StringComparison.Ordinal) || e.StartsWith("Critical ", StringComparison.Ordinal)).ToList();
        var summary = $"fuzz: seed {seed}, {count} requests in {started.Elapsed.TotalSeconds:0.0} s on {TempDatabase.Provider}; "
            + $"5xx: {statuses.Where(s => s.Key >= 500).Sum(s => s.Value)}; slowest {slowest.Elapsed.TotalMilliseconds:0} ms ({slowest.Request}); "
            + $"statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        // How deep the requests got, per operation (the test's output only).
        foreach (var operation in byOperation.GroupBy(o => o.Key[..o.Key.LastIndexOf(':')]))
        {
            output.WriteLine($"  {operation.Key}: {string.Join(", ", operation.Select(o => $"{o.Key[(o.Key.LastIndexOf(':') + 2)..]}×{o.Value}"))}");
        }

        Assert.True(failed == 0 && errors.Count == 0,
            $"{failed} of {count} requests failed, {errors.Count} error log entries. Replay with HOURSMITH_FUZZ_SEED={seed} HOURSMITH_FUZZ_REQUESTS={count}.\n{summary}\n\n"
            + string.Join("\n\n", failures) + (errors.Count > 0 ? "\n\nerror log entries:\n" + string.Join("\n", errors.Take(5)) : ""));
        // The run is only worth something if requests got past the first checks to the handlers.
        Assert.True(statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value) >= count / 20, $"too few 2xx answers: {summary}");
        Assert.True(statuses.GetValueOrDefault(422) >= count / 50, $"too few 422 answers: {summary}");
    }

    /// <summary>Sends one request; null when the answer keeps every promise, else what was wrong.</summary>
    private static async Task<string?> SendAsync(HttpClient http, FuzzRequest request, FuzzPools pools, SortedDictionary<int, int> statuses, Action<TimeSpan, int> answered)
    {
        var watch = Stopwatch.StartNew();
        HttpResponseMessage response;
        byte[] body;
        try
        {
            using var message = request.ToMessage();
            response = await http.SendAsync(message);
            body = await response.Content.ReadAsByteArrayAsync();
        }
        catch (ResponseContractException e)
        {
            return e.Message;
        }
        catch (Exception e)
        {
            var trace = e.ToString();
            return $"no answer after {watch.ElapsedMilliseconds} ms: {(trace.Length > 2000 ? trace[..2000] + "…" : trace)}";
        }

        var elapsed = watch.Elapsed;
        var status = (int)response.StatusCode;
        answered(elapsed, status);
        statuses[status] = statuses.GetValueOrDefault(status) + 1;
        var text = Encoding.UTF8.GetString(body);
        var shown = text.Length > 600 ? text[..600] + "…" : text;
        if (status >= 500)
        {
            return $"{status}: {shown}";
        }

        if (elapsed > s_slow)
        {
            return $"slow: {elapsed.TotalMilliseconds:0} ms for {status}";
        }

        if (status >= 400 && request.Method != "HEAD")
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/json")
            {
                return $"{status} with content type {response.Content.Headers.ContentType?.ToString() ?? "(none)"}: {shown}";
            }

            try
            {
                using var document = JsonDocument.Parse(body);
                var error = document.RootElement.GetProperty("error");
                if (error.GetProperty("code").ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()))
                {
                    return $"{status} without a code and message: {shown}";
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return $"{status} not in the error envelope ({e.Message}): {shown}";
            }

            return null;
        }

        Learn(request, status, body, pools);
        return null;
    }

    /// <summary>Ids of rows the fuzz created and cursors it was given, for later requests.</summary>
    private static void Learn(FuzzRequest request, int status, byte[] body, FuzzPools pools)
    {
        if (request.Method == "POST" && request.Headers.Any(h => h.Key == "Idempotency-Key"))
        {
            pools.AddPost(request);
        }

        if (status is < 200 or >= 300)
        {
            return;
        }

        // A row deleted (or a task archived, which deletes it) is no longer a real id; a project member removed stays a member.
        var segments = new Uri(new Uri("http://localhost"), request.Url).AbsolutePath.Split('/');
        if (request.Method == request.Operation.Method && request.Operation.Deletes && request.Operation.Path.Count(c => c == '{') == 1
            && segments.Length >= 5 && Guid.TryParse(segments[4], out var gone))
        {
            pools.Remove(segments[3], gone);
        }

        if (request.Members is { Count: > 0 } members && request.Method == request.Operation.Method)
        {
            pools.AddExample(FuzzPools.CollectionOf("", request.Operation.Path), members);
        }

        if (body.Length == 0 || request.Method == "HEAD")
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (status == 201 && document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("id", out var id) && id.TryGetGuid(out var guid))
            {
                pools.Add(FuzzPools.CollectionOf("", request.Operation.Path), guid);
            }

            if (document.RootElement.TryGetProperty("pagination", out var pagination) && pagination.GetProperty("nextCursor").GetString() is { } cursor)
            {
                pools.AddCursor(cursor);
            }
        }
        catch (JsonException)
        {
            // Not every 2xx is JSON (HEAD, OPTIONS); nothing to learn from it.
        }
    }

    /// <summary>
    /// A workspace with one of everything, made through the API (and the invoicing service, the only
    /// way invoices come to exist): a client, project, task, time entries (one invoiced and locked,
    /// one free, a running timer), expenses (one billed), a sent invoice and a draft, a Member on the
    /// project with an entry of their own, and spare tokens. These rows are never deleted by the fuzz.
    /// </summary>
    private async Task<(FuzzPools Pools, string Owner, string Member)> SetupAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var owner = (await workspace.MintAsync(workspace.OwnerId, "Fuzz owner")).Token;
        var (memberId, member) = await workspace.TokenForRoleAsync(Role.Member);
        var pools = new FuzzPools();
        var api = factory.ClientWith(owner);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        async Task<Guid> CreateAsync(HttpClient client, string collection, object body)
        {
            var response = await client.PostAsJsonAsync($"/api/v1/{collection}", body);
            Assert.True((int)response.StatusCode is 200 or 201, $"setup POST {collection}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var id = (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
            pools.Add(collection, id, protect: true);
            // Setup's bodies seed the corpus the fuzz mutates.
            using var sent = JsonDocument.Parse(JsonSerializer.Serialize(body));
            pools.AddExample(collection, [.. sent.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetRawText()))]);
            return id;
        }

        var clientId = await CreateAsync(api, "clients", new { name = "Fuzz Client", defaultRate = "100", currency = "EUR" });
        var projectId = await CreateAsync(api, "projects", new { clientId, name = "Fuzz Project" });
        var taskId = await CreateAsync(api, "tasks", new { projectId, name = "Fuzz Task", assigneeIds = new[] { memberId } });
        await CreateAsync(api, "time-entries", new { projectId, taskId, entryDate = $"{today.AddDays(-3):yyyy-MM-dd}", durationSeconds = 3600, note = "invoiced" });
        await CreateAsync(api, "expenses", new { clientId, projectId, description = "Invoiced receipt", amount = "12.50", expenseDate = $"{today.AddDays(-3):yyyy-MM-dd}" });
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var invoicing = scope.ServiceProvider.GetRequiredService<Invoicing>();
            var sent = await invoicing.CreateAsync(new NewInvoice(workspace.Id, clientId));
            await invoicing.SendAsync(sent.Id);
            pools.Add("invoices", sent.Id, protect: true);
        }

        await CreateAsync(api, "time-entries", new { projectId, entryDate = $"{today.AddDays(-2):yyyy-MM-dd}", duration = "1h30m", note = "drafted" });
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var draft = await scope.ServiceProvider.GetRequiredService<Invoicing>().CreateAsync(new NewInvoice(workspace.Id, clientId, IncludeExpenses: false));
            pools.Add("invoices", draft.Id, protect: true);
        }

        await CreateAsync(api, "time-entries", new { projectId, taskId, entryDate = $"{today.AddDays(-1):yyyy-MM-dd}", durationSeconds = 1800, note = "free" });
        await CreateAsync(api, "time-entries", new { projectId, startedAt = DateTime.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture), note = "running" });
        await CreateAsync(api, "expenses", new { clientId, description = "Free receipt", amount = 3.2, expenseDate = $"{today:yyyy-MM-dd}", category = "TRAVEL" });
        await CreateAsync(factory.ClientWith(member), "time-entries", new { projectId, entryDate = $"{today:yyyy-MM-dd}", duration = "45m", note = "the member's" });

        foreach (var id in (await (await api.GetAsync("/api/v1/members")).ReadJsonAsync()).GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()))
        {
            pools.Add("members", id, protect: true);
        }

        // Spare tokens to read, rename and revoke; the two the fuzz sends are kept out of reach.
        for (var i = 0; i < 3; i++)
        {
            pools.Add("tokens", (await workspace.MintAsync(i == 0 ? memberId : workspace.OwnerId, $"Spare {i}")).Record.Id);
        }

        return (pools, owner, member);
    }
}
