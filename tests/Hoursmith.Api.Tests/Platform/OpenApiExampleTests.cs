using System.Text.Json;
using System.Text.Json.Nodes;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// Every operation shows a realistic request (where it takes a body) and an answer for every status it
/// documents, and every example in the document is valid against its schema, closed as responses are checked
/// (<see cref="ResponseContract"/>): an example with a field the schema lacks fails too.
/// </summary>
public class OpenApiExampleTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private async Task<(JsonObject Document, ResponseContract Contract)> DocumentAsync()
    {
        var json = await factory.ClientWith(null).GetStringAsync("/api/openapi.json");
        return (JsonNode.Parse(json)!.AsObject(), new ResponseContract(json));
    }

    /// <summary>Each example of a media type: <c>example</c>, or every entry of <c>examples</c> (component references resolved).</summary>
    private static List<(string Name, JsonNode? Value)> ExamplesOf(JsonObject document, JsonObject media)
    {
        var found = new List<(string, JsonNode?)>();
        if (media.TryGetPropertyValue("example", out var example))
        {
            found.Add(("example", example));
        }

        foreach (var (name, entry) in media["examples"] as JsonObject ?? [])
        {
            var resolved = entry?["$ref"] is JsonValue reference
                ? document["components"]!["examples"]![reference.GetValue<string>()["#/components/examples/".Length..]]
                : entry;
            found.Add((name, resolved?["value"]));
        }

        return found;
    }

    private static IEnumerable<(string Operation, string Where, JsonObject Media)> MediaTypes(JsonObject document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {path}";
                foreach (var (type, media) in operation!["requestBody"]?["content"] as JsonObject ?? [])
                {
                    yield return (name, $"request {type}", media!.AsObject());
                }

                foreach (var (status, response) in operation["responses"]!.AsObject())
                {
                    foreach (var (type, media) in response!["content"] as JsonObject ?? [])
                    {
                        yield return (name, $"{status} {type}", media!.AsObject());
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Every_request_and_response_of_every_operation_has_an_example()
    {
        var (document, _) = await DocumentAsync();
        var missing = MediaTypes(document).Where(m => ExamplesOf(document, m.Media).Count == 0).Select(m => $"{m.Operation} {m.Where}").ToList();
        Assert.True(missing.Count == 0, "no example:\n" + string.Join("\n", missing));
    }

    [Fact]
    public async Task Every_example_is_valid_against_its_schema()
    {
        var (document, contract) = await DocumentAsync();
        var failures = new List<string>();
        var count = 0;
        foreach (var (operation, where, media) in MediaTypes(document))
        {
            if (media["schema"] is not { } schema || !where.Contains("json", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (name, value) in ExamplesOf(document, media))
            {
                count++;
                failures.AddRange(contract.Validate(schema, JsonSerializer.SerializeToElement(value)).Select(f => $"{operation} {where} ({name}): {f}"));
            }
        }

        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            foreach (var value in schema!["examples"] as JsonArray ?? [])
            {
                count++;
                var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
                failures.AddRange(contract.Validate(reference, JsonSerializer.SerializeToElement(value)).Select(f => $"schema {name}: {f}"));
            }
        }

        Assert.True(count > 300, $"only {count} examples checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task An_example_with_a_field_its_schema_lacks_or_a_wrong_type_is_refused()
    {
        var (document, contract) = await DocumentAsync();
        var media = document["paths"]!["/api/v1/clients"]!["post"]!["requestBody"]!["content"]!["application/json"]!.AsObject();
        var example = media["example"]!.DeepClone().AsObject();
        example["hourlyRate"] = "95.00";
        Assert.Contains(contract.Validate(media["schema"]!, JsonSerializer.SerializeToElement(example)), f => f.Contains("at '/hourlyRate'", StringComparison.Ordinal));
        example.Remove("hourlyRate");
        example["currency"] = 978;
        Assert.Contains(contract.Validate(media["schema"]!, JsonSerializer.SerializeToElement(example)), f => f.Contains("at '/currency'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Success_examples_show_their_operations_case()
    {
        var (document, _) = await DocumentAsync();
        JsonNode Answer(string path, string method, string status) =>
            document["paths"]![path]![method]!["responses"]![status]!["content"]!["application/json"]!["example"]!;

        Assert.NotNull((string?)Answer("/api/v1/time-entries", "get", "200")["pagination"]!["nextCursor"]);
        Assert.NotNull((string?)Answer("/api/v1/clients", "get", "200")["pagination"]!["nextCursor"]);
        var stopped = Answer("/api/v1/time-entries/{id}/stop", "post", "200")["data"]!;
        Assert.False((bool)stopped["running"]!);
        Assert.NotNull((string?)stopped["stoppedAt"]);
        Assert.True((bool)Answer("/api/v1/time-entries/running", "get", "200")["data"]!["running"]!);
        Assert.Equal("ARCHIVED", (string?)Answer("/api/v1/projects/{id}/archive", "post", "200")["data"]!["status"]);
        Assert.Equal("NET_30", (string?)Answer("/api/v1/clients/{id}", "patch", "200")["data"]!["defaultPaymentTerms"]);
        var notFound = ExamplesOf(document, document["paths"]!["/api/v1/clients/{id}"]!["get"]!["responses"]!["404"]!["content"]!["application/json"]!.AsObject());
        Assert.Equal("not_found", (string?)Assert.Single(notFound).Value!["error"]!["code"]);
    }
}
