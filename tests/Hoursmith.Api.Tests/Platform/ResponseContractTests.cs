using System.Net;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The check every integration test's responses go through (<see cref="ResponseContract"/>): it must refuse what
/// the OpenAPI document does not describe, or the suite's silence would prove nothing.
/// </summary>
public class ResponseContractTests(ResponseContractTests.MisbehavingFactory factory) : IClassFixture<ResponseContractTests.MisbehavingFactory>
{
    private const string Entry = """
        {"id": "0193a5c4-2c33-7e44-9f55-6a7b8c9dae04", "orgId": "0193a5b0-7c1e-7a4b-9c2d-1f0e3d4c5b6a", "userId": "0193a5b0-7c1f-7b5c-8d3e-2a1b4c5d6e7f",
         "projectId": "0193a5b2-0a11-7c22-9d33-4e5f6a7b8c92", "taskId": null, "invoiceId": null, "durationSeconds": 5400, "billable": true,
         "note": "Wireframes", "entryDate": "2026-11-23", "startedAt": null, "stoppedAt": null, "running": false,
         "createdAt": "2026-11-23T16:05:12Z", "updatedAt": "2026-11-23T16:05:12Z", "deletedAt": null}
        """;

    private static async Task<(ResponseContract Contract, ResponseContract.Operation Operation)> GetEntryAsync()
    {
        var contract = await ResponseContract.ServedAsync();
        return (contract, contract.Find("GET", "/api/v1/time-entries/0193a5c4-2c33-7e44-9f55-6a7b8c9dae04")!);
    }

    private static string? Check(ResponseContract contract, ResponseContract.Operation operation, int status, string json) =>
        contract.Check(operation, status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task A_documented_response_passes()
    {
        var (contract, operation) = await GetEntryAsync();
        Assert.Null(Check(contract, operation, 200, $$"""{"data": {{Entry}}}"""));
        Assert.Null(Check(contract, operation, 404, """{"error": {"code": "not_found", "message": "Time entry not found.", "requestId": "abc"}}"""));
    }

    [Fact]
    public async Task An_undocumented_status_fails()
    {
        var (contract, operation) = await GetEntryAsync();
        var violation = Check(contract, operation, 409, """{"error": {"code": "conflict", "message": "No."}}""");
        Assert.NotNull(violation);
        Assert.Contains("GET /api/v1/time-entries/{id} → 409", violation);
        Assert.Contains("not documented", violation);
    }

    [Fact]
    public async Task An_undocumented_field_fails_even_deep_inside()
    {
        var (contract, operation) = await GetEntryAsync();
        var extra = JsonSerializer.Serialize(new { data = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Entry)!.Append(new("secretRate", JsonSerializer.SerializeToElement("95.00"))).ToDictionary() });
        var violation = Check(contract, operation, 200, extra);
        Assert.NotNull(violation);
        Assert.Contains("at '/data/secretRate': a property the document does not declare", violation);

        var listOperation = contract.Find("GET", "/api/v1/time-entries")!;
        Assert.Contains("at '/pagination/total'", Check(contract, listOperation, 200, $$$"""{"data": [{{{Entry}}}], "pagination": {"limit": 50, "nextCursor": null, "total": 1}}"""));
        Assert.Contains("at '/error/stack'", Check(contract, operation, 404, """{"error": {"code": "not_found", "message": "Gone.", "stack": "at Handler()"}}"""));
    }

    [Fact]
    public async Task A_wrongly_typed_or_missing_field_fails()
    {
        var (contract, operation) = await GetEntryAsync();
        var violation = Check(contract, operation, 200, $$"""{"data": {{Entry.Replace("\"durationSeconds\": 5400", "\"durationSeconds\": \"5400\"", StringComparison.Ordinal)}}}""");
        Assert.NotNull(violation);
        Assert.Contains("at '/data/durationSeconds'", violation);

        Assert.Contains("at '/data/entryDate'", Check(contract, operation, 200, $$"""{"data": {{Entry.Replace("2026-11-23\"", "23.11.2026\"", StringComparison.Ordinal)}}}"""));
        Assert.Contains("required", Check(contract, operation, 200, $$"""{"data": {{Entry.Replace("\"note\": \"Wireframes\",", "", StringComparison.Ordinal)}}}"""));
        Assert.Contains("has no body", contract.Check(contract.Find("DELETE", $"/api/v1/time-entries/{Guid.NewGuid()}")!, 204, "application/json", "{}"u8));
    }

    [Fact]
    public async Task Requests_are_matched_to_the_most_literal_template_and_undocumented_ones_are_left_alone()
    {
        var contract = await ResponseContract.ServedAsync();
        Assert.Equal("/api/v1/time-entries/running", contract.Find("GET", "/api/v1/time-entries/running")!.Path);
        Assert.Equal("/api/v1/time-entries/{id}", contract.Find("GET", "/api/v1/time-entries/0193a5c4-2c33-7e44-9f55-6a7b8c9dae04")!.Path);
        Assert.Equal("/api/v1/projects/{id}/members/{userId}", contract.Find("DELETE", $"/api/v1/projects/{Guid.NewGuid()}/members/{Guid.NewGuid()}/")!.Path);
        // The routes take only UUIDs there: anything else is an unknown route (404), which no operation describes.
        Assert.Null(contract.Find("GET", "/api/v1/time-entries/not-a-uuid"));
        Assert.Null(contract.Find("DELETE", "/api/v1/time-entries/running"));
        Assert.Null(contract.Find("PUT", "/api/v1/clients"));
        Assert.Null(contract.Find("GET", "/api/v1/no-such-thing"));
    }

    [Fact]
    public async Task A_response_the_document_does_not_describe_fails_the_request_that_got_it()
    {
        var client = factory.CreateClient();
        var thrown = await Assert.ThrowsAsync<ResponseContractException>(() => client.GetAsync("/api/v1/me"));
        Assert.Contains("GET /api/v1/me → 418", thrown.Message);

        // The same app's other responses still reach the test.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    /// <summary>The real application, except that <c>GET /api/v1/me</c> answers a status its operation does not document.</summary>
    public sealed class MisbehavingFactory : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, Teapot>());
        }

        private sealed class Teapot : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use(nextMiddleware => context => context.Request.Path == "/api/v1/me"
                    ? Results.Json(new { error = new { code = "teapot", message = "I'm a teapot." } }, statusCode: 418).ExecuteAsync(context)
                    : nextMiddleware(context));
                next(app);
            };
        }
    }
}
