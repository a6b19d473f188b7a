using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// The served OpenAPI document as a contract every response of the integration suite is held to
/// (<see cref="ResponseContractMiddleware"/> in the factory's app, <see cref="ResponseContractHandler"/> on a real
/// server's clients). A request whose method and path match a documented operation of <c>/api/v1</c> or
/// <c>/health</c> must get a status the operation documents, and a JSON body that validates against that
/// response's schema, closed: a property the schema does not declare is a violation here (the document itself
/// leaves objects open, because clients must ignore fields added later). Requests to undocumented paths or
/// methods (404/405 probes) are not checked. Schemas are compiled once per operation and status.
/// </summary>
public sealed partial class ResponseContract
{
    private const string ComponentsUri = "https://contract.hoursmith.test/components";
    private static readonly Lazy<Task<ResponseContract>> s_served = new(LoadServedAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, int> s_checked = new(StringComparer.Ordinal);
    private static long s_checkingTicks;

    private readonly List<Operation> _operations = [];
    private readonly BuildOptions _buildOptions;
    private readonly EvaluationOptions _flag;
    private readonly EvaluationOptions _list;
    private readonly ConcurrentDictionary<string, Lazy<JsonSchema?>> _schemas = new(StringComparer.Ordinal);
    private readonly Lock _building = new();

    static ResponseContract()
    {
        // How many responses the suite had checked, per operation and status, for whoever asks for the figure.
        if (Environment.GetEnvironmentVariable("HOURSMITH_CONTRACT_REPORT") is { Length: > 0 } reportPath)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => File.WriteAllLines(reportPath,
                s_checked.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value}\t{c.Key}")
                    .Prepend($"{s_checked.Values.Sum()}\ttotal, {Stopwatch.GetElapsedTime(0, s_checkingTicks).TotalMilliseconds:0} ms checking"));
        }
    }

    public ResponseContract(string document)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        var formats = new FormatRegistry();
        formats.Register(new RegexFormat("decimal", DecimalPattern()));
        formats.Register(new PredicateFormat("int32", e => e.ValueKind != JsonValueKind.Number || e.TryGetInt32(out _)));
        formats.Register(new PredicateFormat("int64", e => e.ValueKind != JsonValueKind.Number || e.TryGetInt64(out _)));
        // OpenAPI 3.1 schemas are JSON Schema 2020-12, with extension keywords (x-…) the dialect must let through.
        _buildOptions = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
        _flag = new EvaluationOptions { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true, FormatRegistry = formats };
        _list = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true, FormatRegistry = formats };

        var components = new JsonObject { ["$defs"] = Closed(root["components"]?["schemas"]?.DeepClone() ?? new JsonObject(), isSchemaMap: true) };
        JsonSchema.Build(ToElement(components), _buildOptions, new Uri(ComponentsUri));

        foreach (var (path, item) in root["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation?["responses"] is JsonObject responses)
                {
                    // Read into plain dictionaries now: JsonNode is not safe to read from parallel requests.
                    var byStatus = responses.ToDictionary(
                        r => r.Key,
                        r => (IReadOnlyDictionary<string, string?>)((r.Value?["content"] as JsonObject) ?? []).ToDictionary(
                            c => c.Key, c => c.Value?["schema"]?.ToJsonString(), StringComparer.OrdinalIgnoreCase),
                        StringComparer.Ordinal);
                    // A path parameter typed uuid matches only a UUID, as the route's {id:guid} does: "running" is not an id.
                    var uuids = (operation["parameters"] as JsonArray ?? []).Concat(item["parameters"] as JsonArray ?? [])
                        .Where(p => (string?)p?["in"] == "path" && (string?)p?["schema"]?["format"] == "uuid")
                        .Select(p => "{" + (string?)p!["name"] + "}")
                        .ToHashSet(StringComparer.Ordinal);
                    _operations.Add(new Operation(method.ToUpperInvariant(), path, path.Trim('/').Split('/'), uuids, byStatus));
                }
            }
        }
    }

    /// <summary>The document the application serves, fetched once per test process.</summary>
    public static Task<ResponseContract> ServedAsync() => s_served.Value;

    /// <summary>Whether a request to this path is one the contract may describe (cheap; no document needed).</summary>
    public static bool InScope(string path) =>
        path.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase) || path.Equals("/api/v1", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/health", StringComparison.OrdinalIgnoreCase) || path.Equals("/health/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The documented operation a request's method and (unescaped) path match, the most literal one first; null for none.</summary>
    public Operation? Find(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        Operation? best = null;
        var bestLiterals = -1;
        foreach (var operation in _operations)
        {
            if (operation.Method != method || operation.Segments.Length != segments.Length)
            {
                continue;
            }

            var literals = 0;
            var matches = true;
            for (var i = 0; i < segments.Length && matches; i++)
            {
                var template = operation.Segments[i];
                if (template.StartsWith('{'))
                {
                    matches = segments[i].Length > 0 && (!operation.UuidParameters.Contains(template) || Guid.TryParse(segments[i], out _));
                }
                else
                {
                    matches = string.Equals(template, segments[i], StringComparison.OrdinalIgnoreCase);
                    literals++;
                }
            }

            if (matches && literals > bestLiterals)
            {
                (best, bestLiterals) = (operation, literals);
            }
        }

        return best;
    }

    /// <summary>Null when the response is what the document says; otherwise what is wrong, in a sentence or a list.</summary>
    public string? Check(Operation operation, int status, string? contentType, ReadOnlySpan<byte> body)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return Violation(operation, status, contentType, body);
        }
        finally
        {
            Interlocked.Add(ref s_checkingTicks, Stopwatch.GetTimestamp() - started);
        }
    }

    private string? Violation(Operation operation, int status, string? contentType, ReadOnlySpan<byte> body)
    {
        var statusKey = status.ToString(CultureInfo.InvariantCulture);
        var name = $"{operation.Method} {operation.Path} → {statusKey}";
        s_checked.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (!operation.Responses.TryGetValue(statusKey, out var content)
            && !operation.Responses.TryGetValue($"{statusKey[0]}XX", out content)
            && !operation.Responses.TryGetValue("default", out content))
        {
            return $"{name}: status {statusKey} is not documented for this operation (documented: {string.Join(", ", operation.Responses.Select(r => r.Key))}). Body: {Excerpt(body)}";
        }

        if (content.Count == 0)
        {
            return body.IsEmpty ? null : $"{name}: the document says this response has no body, but it has one: {Excerpt(body)}";
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        if (body.IsEmpty)
        {
            return $"{name}: the document describes a body ({string.Join(", ", content.Select(c => c.Key))}), but the response has none.";
        }

        if (mediaType is null || !content.TryGetValue(mediaType, out var schemaJson))
        {
            return $"{name}: Content-Type '{contentType}' is not documented (documented: {string.Join(", ", content.Select(c => c.Key))}).";
        }

        if (!mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var schema = _schemas.GetOrAdd($"{name} {mediaType}", _ => new Lazy<JsonSchema?>(() => schemaJson is null ? null : Compile(JsonNode.Parse(schemaJson)))).Value;
        JsonDocument instance;
        try
        {
            var reader = new Utf8JsonReader(body);
            instance = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            return $"{name}: the body is not JSON ({e.Message}): {Excerpt(body)}";
        }

        using (instance)
        {
            if (schema is null || schema.Evaluate(instance.RootElement, _flag).IsValid)
            {
                return null;
            }

            var failures = new StringBuilder();
            Collect(schema.Evaluate(instance.RootElement, _list), failures);
            return $"{name}: the body does not match the documented schema:{failures}\nBody: {Excerpt(body)}";
        }
    }

    /// <summary>Every failure of one value against a schema taken from the document (an example, for instance), closed as responses are.</summary>
    public IReadOnlyList<string> Validate(JsonNode schema, JsonElement instance)
    {
        var compiled = Compile(schema);
        if (compiled is null)
        {
            return [];
        }

        var results = compiled.Evaluate(instance, _list);
        if (results.IsValid)
        {
            return [];
        }

        var failures = new StringBuilder();
        Collect(results, failures);
        return failures.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private JsonSchema? Compile(JsonNode? schema)
    {
        if (schema is null)
        {
            return null;
        }

        var closed = Closed(schema.DeepClone(), isSchemaMap: false);
        lock (_building)
        {
            return JsonSchema.Build(ToElement(closed), _buildOptions, new Uri($"https://contract.hoursmith.test/schemas/{Guid.NewGuid():N}"));
        }
    }

    private static void Collect(EvaluationResults results, StringBuilder failures)
    {
        if (results.Errors is { Count: > 0 } errors)
        {
            var at = results.InstanceLocation.ToString();
            var schema = results.EvaluationPath.ToString();
            foreach (var (keyword, message) in errors)
            {
                // A property the closed schema does not list fails against the "false" schema, which names no keyword.
                var reason = keyword.Length == 0 && schema.EndsWith("/additionalProperties", StringComparison.Ordinal)
                    ? "a property the document does not declare"
                    : $"{keyword}: {message}";
                failures.Append(CultureInfo.InvariantCulture, $"\n  at '{(at.Length == 0 ? "/" : at)}': {reason} (schema {schema})");
            }
        }

        foreach (var detail in results.Details ?? [])
        {
            Collect(detail, failures);
        }
    }

    /// <summary>
    /// A copy of a schema in which every object that lists its properties allows no others (unless it says what
    /// others may be), and every <c>#/components/schemas/X</c> points into the compiled components.
    /// </summary>
    private static JsonNode Closed(JsonNode node, bool isSchemaMap)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        if (isSchemaMap)
        {
            foreach (var (_, value) in schema.ToList())
            {
                if (value is not null)
                {
                    Closed(value, isSchemaMap: false);
                }
            }

            return schema;
        }

        if (schema["$ref"] is JsonValue reference && reference.GetValue<string>().StartsWith("#/components/schemas/", StringComparison.Ordinal))
        {
            schema["$ref"] = ComponentsUri + "#/$defs/" + reference.GetValue<string>()["#/components/schemas/".Length..];
        }

        foreach (var keyword in new[] { "properties", "patternProperties", "$defs", "dependentSchemas" })
        {
            if (schema[keyword] is JsonObject map)
            {
                Closed(map, isSchemaMap: true);
            }
        }

        foreach (var keyword in new[] { "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties" })
        {
            if (schema[keyword] is JsonObject sub)
            {
                Closed(sub, isSchemaMap: false);
            }
        }

        foreach (var keyword in new[] { "allOf", "anyOf", "oneOf", "prefixItems" })
        {
            if (schema[keyword] is JsonArray list)
            {
                foreach (var sub in list)
                {
                    if (sub is not null)
                    {
                        Closed(sub, isSchemaMap: false);
                    }
                }
            }
        }

        var composed = schema.ContainsKey("allOf") || schema.ContainsKey("anyOf") || schema.ContainsKey("oneOf");
        if (schema["properties"] is JsonObject && !schema.ContainsKey("additionalProperties") && !schema.ContainsKey("unevaluatedProperties") && !composed)
        {
            schema["additionalProperties"] = false;
        }

        return schema;
    }

    private static JsonElement ToElement(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    private static string Excerpt(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length <= 600 ? text : text[..600] + "…";
    }

    private static async Task<ResponseContract> LoadServedAsync()
    {
        // A server of its own, so no test's settings (HTTPS only, allowed hosts) stand between it and the document.
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();
        return new ResponseContract(await client.GetStringAsync(Hoursmith.Api.Infrastructure.OpenApi.OpenApiSetup.DocumentPath));
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$")]
    private static partial Regex DecimalPattern();

    /// <summary>One documented operation: its method, path template and responses by status.</summary>
    public sealed record Operation(string Method, string Path, string[] Segments, IReadOnlySet<string> UuidParameters, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Responses);
}

/// <summary>A response that is not what the OpenAPI document promises; thrown into the test that made the request.</summary>
public sealed class ResponseContractException(string message) : Exception(message);
