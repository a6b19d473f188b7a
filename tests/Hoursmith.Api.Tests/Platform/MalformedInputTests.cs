using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// Each input that used to end in a 500 (found by hand and by <see cref="FuzzTests"/>), through the
/// real pipeline: a client's mistake is a 4xx in the envelope. The pure parts are in Unit/InputBoundsTests.
/// </summary>
public class MalformedInputTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Setup(TestWorkspace Workspace, HttpClient Owner, string OwnerToken, Guid ClientId, Guid ProjectId, Guid EntryId);

    private async Task<Setup> SetupAsync()
    {
        // Agency: every list is open to it (webhook endpoints need that plan).
        var workspace = await factory.CreateWorkspaceAsync(Hoursmith.Api.Data.Entities.Plan.Agency);
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        var owner = workspace.Client(token);
        var clientId = await CreateAsync(owner, "clients", new { name = "Northwind Traders", defaultRate = "100" });
        var projectId = await CreateAsync(owner, "projects", new { clientId, name = "Website" });
        var entryId = await CreateAsync(owner, "time-entries", new { projectId, entryDate = Today, durationSeconds = 3600 });
        await CreateAsync(owner, "expenses", new { clientId, description = "Train", amount = "12.50", expenseDate = Today });
        return new Setup(workspace, owner, token, clientId, projectId, entryId);
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string collection, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/{collection}", body);
        Assert.True(201 == (int)response.StatusCode, $"POST {collection}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
    }

    private static HttpRequestMessage Raw(HttpMethod method, string url, string json, string? key = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    // Cause 1: a lone UTF-16 surrogate anywhere in a POST body threw in the idempotency layer's canonical JSON.
    [Theory]
    [InlineData("""{"name":"\ud800"}""")]
    [InlineData("""{"name":"Acme","\udfff":1}""")]
    [InlineData("""{"name":"Acme","notes":{"deep":["\udc00\ud800"]}}""")]
    public async Task A_lone_surrogate_in_a_body_is_400_and_frees_the_idempotency_key(string json)
    {
        var setup = await SetupAsync();
        var key = Guid.NewGuid().ToString();

        var refused = await setup.Owner.SendAsync(Raw(HttpMethod.Post, "/api/v1/clients", json, key));
        var error = await refused.AssertErrorAsync(400, "bad_request");
        Assert.Contains("lone UTF-16 surrogate", error.GetProperty("message").GetString());

        // Nothing was stored under the key: the corrected request runs.
        var created = await setup.Owner.SendAsync(Raw(HttpMethod.Post, "/api/v1/clients", """{"name":"Acme"}""", key));
        Assert.Equal(201, (int)created.StatusCode);

        var patched = await setup.Owner.SendAsync(Raw(HttpMethod.Patch, $"/api/v1/clients/{setup.ClientId}", json));
        await patched.AssertErrorAsync(400, "bad_request");
    }

    // Cause 2: a date-only upper bound at the maximum date (createdAtTo=9999-12-31, every …To filter) overflowed.
    [Fact]
    public async Task Every_date_and_timestamp_filter_takes_any_date_and_clamps_it_to_the_stored_range()
    {
        var setup = await SetupAsync();
        var document = await (await setup.Owner.GetAsync("/api/openapi.json")).ReadJsonAsync();
        var checkedFilters = 0;
        foreach (var (path, parameter) in ListParameters(document).Where(p => p.Parameter.Format is "date" or "date-time"))
        {
            foreach (var value in new[] { "9999-12-31", "0001-01-01", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2100-12-31", "2000-01-01" })
            {
                var response = await setup.Owner.GetAsync($"{path}?{parameter.Name}={value}");
                Assert.True(200 == (int)response.StatusCode, $"{path}?{parameter.Name}={value}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            checkedFilters++;
        }

        Assert.True(checkedFilters >= 30, $"only {checkedFilters} date filters checked");

        // Clamping keeps the meaning: "from the beginning" and "until the end" select every row, "until 1970" none.
        var entries = "/api/v1/time-entries";
        Assert.Single(await DataAsync(setup.Owner, $"{entries}?createdAtFrom=1970-01-01&createdAtTo=9999-12-31&entryDateTo=9999-12-31&entryDateFrom=0001-01-01"));
        Assert.Empty(await DataAsync(setup.Owner, $"{entries}?createdAtTo=1970-01-01"));
        Assert.Empty(await DataAsync(setup.Owner, $"{entries}?entryDateFrom=9999-12-31"));
        Assert.Empty(await DataAsync(setup.Owner, $"{entries}?updatedAtFrom=9999-12-31T23:59:59.9999999Z"));
    }

    // Cause 3: a NUL in search or a text filter of 3+ characters broke SQLite's full-text query.
    [Theory]
    [InlineData("search", "ab%00cd")]
    [InlineData("search", "%00")]
    [InlineData("search", "a%01b")]
    [InlineData("search", "no%09tab")]
    [InlineData("clientName", "Nor%00thwind")]
    [InlineData("clientName", "a%1Fb")]
    public async Task A_control_character_in_search_or_a_text_filter_is_400_naming_it(string parameter, string value)
    {
        var setup = await SetupAsync();
        var document = await (await setup.Owner.GetAsync("/api/openapi.json")).ReadJsonAsync();
        var paths = ListParameters(document).Where(p => p.Parameter.Name == parameter).Select(p => p.Path).Distinct().ToList();
        Assert.NotEmpty(paths);
        foreach (var path in paths)
        {
            var response = await setup.Owner.GetAsync($"{path}?{parameter}={value}");
            var error = await response.AssertErrorAsync(400, "bad_request");
            Assert.Equal($"{parameter} must not contain control characters (U+0000 to U+001F).", error.GetProperty("message").GetString());
        }

        // Surrounding blanks are trimmed as ever; the term itself is searched.
        Assert.Single(await DataAsync(setup.Owner, "/api/v1/projects?clientName=%09Northwind%0A"));
    }

    // Cause 4: money filters beyond what whole cents hold overflowed.
    [Theory]
    [InlineData("/api/v1/expenses", "amountMin", "92233720368547758.08")]
    [InlineData("/api/v1/expenses", "amountMax", "-92233720368547758.08")]
    [InlineData("/api/v1/invoices", "totalMin", "100000000000000000000")]
    [InlineData("/api/v1/invoices", "totalMax", "79228162514264337593543950335")]
    public async Task An_amount_filter_whole_cents_cannot_hold_is_400_naming_it(string path, string parameter, string value)
    {
        var setup = await SetupAsync();

        var response = await setup.Owner.GetAsync($"{path}?{parameter}={value}");

        var error = await response.AssertErrorAsync(400, "bad_request");
        Assert.Equal($"{parameter} must be an amount with at most two decimals, such as 125.50, from -92233720368547758.07 to 92233720368547758.07.", error.GetProperty("message").GetString());
        Assert.Single(await DataAsync(setup.Owner, "/api/v1/expenses?amountMin=-92233720368547758.07&amountMax=92233720368547758.07"));
    }

    // Cause 5: a time entry starting near the maximum timestamp, plus a duration, overflowed (POST and PATCH).
    [Theory]
    [InlineData("9999-12-31T23:00:00Z")]
    [InlineData("9999-12-31T23:59:59-14:00")]
    [InlineData("2101-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59Z")]
    public async Task A_time_entry_starting_outside_the_range_is_422_on_create_and_on_patch(string startedAt)
    {
        var setup = await SetupAsync();

        var created = await setup.Owner.PostAsJsonAsync("/api/v1/time-entries", new { projectId = setup.ProjectId, entryDate = Today, startedAt, durationSeconds = 86400 });
        var patched = await setup.Owner.PatchAsJsonAsync($"/api/v1/time-entries/{setup.EntryId}", new { startedAt, durationSeconds = 3600 });
        var timer = await setup.Owner.PostAsJsonAsync("/api/v1/time-entries", new { projectId = setup.ProjectId, startedAt });

        foreach (var response in new[] { created, patched, timer })
        {
            var error = await response.AssertErrorAsync(422, "validation_error");
            Assert.True(error.GetProperty("fields").GetProperty("startedAt").GetString() is "invalid" or "invalid_timestamp", error.ToString());
        }
    }

    [Fact]
    public async Task A_time_entry_at_the_end_of_the_range_takes_a_whole_day()
    {
        var setup = await SetupAsync();

        var created = await setup.Owner.PostAsJsonAsync("/api/v1/time-entries", new { projectId = setup.ProjectId, entryDate = "2100-12-31", startedAt = "2100-12-31T23:59:59Z", durationSeconds = 86400 });

        Assert.Equal(201, (int)created.StatusCode);
        Assert.Equal("2101-01-01T23:59:59Z", (await created.ReadJsonAsync()).GetProperty("data").GetProperty("stoppedAt").GetString());
    }

    [Fact]
    public async Task A_time_entry_stored_before_the_bounds_existed_is_refused_not_overflowed()
    {
        var setup = await SetupAsync();
        var farFuture = new DateTime(9999, 12, 31, 23, 0, 0, DateTimeKind.Utc);
        await factory.WithDbAsync(db => db.TimeEntries.Where(e => e.Id == setup.EntryId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.StartedAt, farFuture).SetProperty(e => e.StoppedAt, farFuture.AddMinutes(30))));

        var patched = await setup.Owner.PatchAsJsonAsync($"/api/v1/time-entries/{setup.EntryId}", new { durationSeconds = 86400 });

        var error = await patched.AssertErrorAsync(422, "validation_error");
        Assert.Equal("invalid", error.GetProperty("fields").GetProperty("startedAt").GetString());
    }

    // The class of cause 5: every date and timestamp of every resource body is bounded.
    [Theory]
    [InlineData("projects", "startDate", "9999-12-31")]
    [InlineData("projects", "dueDate", "0001-01-01")]
    [InlineData("tasks", "dueDate", "2101-01-01")]
    [InlineData("tasks", "endDate", "1999-12-31")]
    [InlineData("expenses", "expenseDate", "9999-12-31")]
    [InlineData("time-entries", "entryDate", "0001-01-01")]
    [InlineData("time-entries", "stoppedAt", "9999-12-31T23:59:59Z")]
    public async Task A_date_or_timestamp_outside_the_range_in_any_body_is_422_invalid(string collection, string field, string value)
    {
        var setup = await SetupAsync();
        var body = collection switch
        {
            "projects" => new Dictionary<string, object?> { ["clientId"] = setup.ClientId, ["name"] = "P" },
            "tasks" => new Dictionary<string, object?> { ["projectId"] = setup.ProjectId, ["name"] = "T" },
            "expenses" => new Dictionary<string, object?> { ["clientId"] = setup.ClientId, ["description"] = "D", ["amount"] = "1.00", ["expenseDate"] = Today },
            _ => new Dictionary<string, object?> { ["projectId"] = setup.ProjectId, ["entryDate"] = Today, ["startedAt"] = "2026-03-01T09:00:00Z" },
        };
        body[field] = value;

        var response = await setup.Owner.PostAsJsonAsync($"/api/v1/{collection}", body);

        var error = await response.AssertErrorAsync(422, "validation_error");
        Assert.Equal("invalid", error.GetProperty("fields").GetProperty(field).GetString());
    }

    [Theory]
    [InlineData("92233720368547758.08")]
    [InlineData("100000000000000000000")]
    [InlineData("1e20")]
    public async Task An_amount_whole_cents_cannot_hold_is_422_too_large(string amount)
    {
        var setup = await SetupAsync();

        var created = await setup.Owner.PostAsJsonAsync("/api/v1/expenses", new { clientId = setup.ClientId, description = "Yacht", amount, expenseDate = Today });
        var rate = await setup.Owner.PatchAsJsonAsync($"/api/v1/projects/{setup.ProjectId}", new { hourlyRate = amount });

        foreach (var (response, field) in new[] { (created, "amount"), (rate, "hourlyRate") })
        {
            var error = await response.AssertErrorAsync(422, "validation_error");
            Assert.Equal("too_large", error.GetProperty("fields").GetProperty(field).GetString());
        }
    }

    // Body text with a control character (a NUL cannot be stored by PostgreSQL): 422, tabs and newlines kept.
    [Fact]
    public async Task Body_text_with_a_control_character_is_422_invalid_and_tabs_and_newlines_are_kept()
    {
        var setup = await SetupAsync();

        var client = await setup.Owner.SendAsync(Raw(HttpMethod.Post, "/api/v1/clients", """{"name":"Nul\u0000Co"}""", Guid.NewGuid().ToString()));
        var task = await setup.Owner.SendAsync(Raw(HttpMethod.Post, "/api/v1/tasks", $$"""{"projectId":"{{setup.ProjectId}}","name":"T","tags":["ok","b\u0007ell"]}""", Guid.NewGuid().ToString()));
        var tokens = await (await setup.Owner.GetAsync("/api/v1/tokens")).ReadJsonAsync();
        var tokenId = tokens.GetProperty("data")[0].GetProperty("id").GetGuid();
        var token = await setup.Owner.SendAsync(Raw(HttpMethod.Patch, $"/api/v1/tokens/{tokenId}", """{"name":"a\u001bb"}"""));

        foreach (var (response, field) in new[] { (client, "name"), (task, "tags"), (token, "name") })
        {
            var error = await response.AssertErrorAsync(422, "validation_error");
            Assert.Equal("invalid", error.GetProperty("fields").GetProperty(field).GetString());
        }

        var notes = await setup.Owner.PostAsJsonAsync("/api/v1/clients", new { name = "Tabs\tand", notes = "two\nlines\r\nand\ttabs" });
        Assert.Equal(201, (int)notes.StatusCode);
        Assert.Equal("two\nlines\r\nand\ttabs", (await notes.ReadJsonAsync()).GetProperty("data").GetProperty("notes").GetString());
    }

    // Found by the fuzz test: the token rename read its body through the framework, which threw on an unknown charset.
    [Theory]
    [InlineData("application/json; charset=\"x\"", 200)]
    [InlineData("application/json; charset=nonsense", 200)]
    [InlineData("text/plain", 415)]
    public async Task Every_body_is_read_the_same_way_whatever_its_charset_parameter(string contentType, int status)
    {
        var setup = await SetupAsync();
        var tokens = await (await setup.Owner.GetAsync("/api/v1/tokens")).ReadJsonAsync();
        var tokenId = tokens.GetProperty("data")[0].GetProperty("id").GetGuid();
        foreach (var url in new[] { $"/api/v1/tokens/{tokenId}", $"/api/v1/clients/{setup.ClientId}" })
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new ByteArrayContent("""{"name":"Renamed"}"""u8.ToArray()) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

            var response = await setup.Owner.SendAsync(request);

            Assert.True(status == (int)response.StatusCode, $"PATCH {url} as {contentType}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                await response.AssertErrorAsync(status, "unsupported_media_type");
            }
        }
    }

    [Fact]
    public void Every_endpoint_reads_its_body_through_JsonBody()
    {
        var endpoints = factory.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>().SelectMany(s => s.Endpoints).ToList();
        // /mcp's body is an MCP message the SDK reads; the API requests it dispatches are read by JsonBody like any other.
        var reading = endpoints.Where(e => !Hoursmith.Api.Infrastructure.Http.DispatchingEndpoint.Is(e))
            .SelectMany(e => e.Metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().Select(m => (Endpoint: e, Metadata: m))).ToList();

        Assert.NotEmpty(reading);
        Assert.All(reading, r => Assert.True(
            r.Metadata.GetType().DeclaringType is { IsGenericType: true } owner && owner.GetGenericTypeDefinition() == typeof(Hoursmith.Api.Infrastructure.Json.JsonBody<>),
            $"{r.Endpoint.DisplayName} reads its body through the framework ({r.Metadata.GetType()}), not JsonBody<T>"));
    }

    private static async Task<List<JsonElement>> DataAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(200 == (int)response.StatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return [.. (await response.ReadJsonAsync()).GetProperty("data").EnumerateArray()];
    }

    private sealed record ListParameter(string Name, string? Format);

    /// <summary>Every query parameter of every list operation in the document.</summary>
    private static IEnumerable<(string Path, ListParameter Parameter)> ListParameters(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        where path.Name.StartsWith("/api/v1/", StringComparison.Ordinal) && !path.Name.Contains('{', StringComparison.Ordinal)
            && path.Value.TryGetProperty("get", out var get) && get.TryGetProperty("parameters", out _)
        from parameter in path.Value.GetProperty("get").GetProperty("parameters").EnumerateArray()
        where parameter.GetProperty("in").GetString() == "query"
        let schema = parameter.GetProperty("schema")
        select (path.Name, new ListParameter(parameter.GetProperty("name").GetString()!, schema.TryGetProperty("format", out var format) ? format.GetString() : null));
}
