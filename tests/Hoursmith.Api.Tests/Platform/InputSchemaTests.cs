using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// The document's create schemas ([Field] attributes) against the validator itself, for every create
/// endpoint the document lists: what an empty body is refused for is exactly the schema's required list,
/// and every maxLength is where the validator starts refusing. A handler whose rules change fails here
/// until its input record's attributes say the same.
/// </summary>
public class InputSchemaTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private async Task<(HttpClient Client, List<(string Path, JsonElement Schema)> Creates)> CreatesAsync()
    {
        var document = await (await factory.ClientWith(null).GetAsync("/api/openapi.json")).ReadJsonAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var creates = new List<(string, JsonElement)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (path.Name.StartsWith("/api/v1/", StringComparison.Ordinal) && !path.Name.Contains('{', StringComparison.Ordinal)
                && path.Value.TryGetProperty("post", out var post) && post.TryGetProperty("requestBody", out var body))
            {
                var reference = body.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
                creates.Add((path.Name, schemas.GetProperty(reference.Split('/')[^1])));
            }
        }

        Assert.True(creates.Count >= 5, $"only {creates.Count} create operations found");
        // Agency: every create endpoint is open to it (webhook endpoints need that plan).
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        return (factory.ClientWith(token), creates);
    }

    private static async Task<Dictionary<string, string>> FieldErrorsAsync(HttpClient client, string path, JsonObject body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        if ((int)response.StatusCode != 422)
        {
            return [];
        }

        var error = (await response.ReadJsonAsync()).GetProperty("error");
        return error.TryGetProperty("fields", out var fields)
            ? fields.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetString()!)
            : [];
    }

    [Fact]
    public async Task An_empty_create_is_refused_for_exactly_the_required_fields()
    {
        var (client, creates) = await CreatesAsync();
        foreach (var (path, schema) in creates)
        {
            // Fields required unless an alternative is sent are refused for {} too (x-required-unless).
            var required = (schema.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()!) : [])
                .Concat(schema.TryGetProperty(Infrastructure.OpenApi.InputSchemas.RequiredUnlessExtension, out var unless) ? unless.EnumerateObject().Select(p => p.Name) : [])
                .Order().ToList();
            var refused = (await FieldErrorsAsync(client, path, [])).Where(f => f.Value == "required").Select(f => f.Key).Order().ToList();
            Assert.True(required.SequenceEqual(refused),
                $"POST {path}: the schema requires [{string.Join(", ", required)}], the server refuses {{}} for [{string.Join(", ", refused)}]. " +
                "Make the input record's [Field(Required = …)] say what the handler's FieldValidator enforces.");
        }
    }

    [Fact]
    public async Task Every_max_length_is_where_the_validator_starts_refusing()
    {
        var (client, creates) = await CreatesAsync();
        var checkedFields = 0;
        foreach (var (path, schema) in creates)
        {
            foreach (var property in schema.GetProperty("properties").EnumerateObject())
            {
                if (!property.Value.TryGetProperty("maxLength", out var maxLength) || property.Value.TryGetProperty("format", out _))
                {
                    continue;
                }

                var max = maxLength.GetInt32();
                var atMax = await FieldErrorsAsync(client, path, new JsonObject { [property.Name] = new string('x', max) });
                var over = await FieldErrorsAsync(client, path, new JsonObject { [property.Name] = new string('x', max + 1) });
                Assert.False(atMax.ContainsKey(property.Name), $"POST {path}: {property.Name} of {max} characters (its maxLength) is refused: {atMax.GetValueOrDefault(property.Name)}");
                Assert.True(over.ContainsKey(property.Name), $"POST {path}: {property.Name} of {max + 1} characters is accepted, beyond its maxLength {max}");
                checkedFields++;
            }
        }

        Assert.True(checkedFields >= 10, $"only {checkedFields} lengths checked");
    }
}
