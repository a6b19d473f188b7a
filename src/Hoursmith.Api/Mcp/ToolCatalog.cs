using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Hoursmith.Api.Mcp;

/// <summary>
/// The MCP tools as clients list them, built from the API's own OpenAPI document, so a tool's
/// description, input schema (path id, list parameters and filters, body fields with their formats,
/// enums, bounds and required fields, as <c>[Field]</c> declares them) and output schema are those of
/// its REST operation and cannot drift from it. The remote and the stdio server build the same catalogue.
/// </summary>
public sealed class ToolCatalog
{
    private const string ApiPrefix = "/api/v1";
    private const int MaxDepth = 32;

    private readonly Dictionary<string, ToolOperation> _operations;

    private ToolCatalog(IReadOnlyList<Tool> tools, Dictionary<string, ToolOperation> operations)
    {
        Tools = tools;
        _operations = operations;
    }

    public IReadOnlyList<Tool> Tools { get; }

    public ToolOperation? Find(string name) => _operations.GetValueOrDefault(name);

    /// <summary>Builds the catalogue from the served OpenAPI document; throws when an operation is missing from it.</summary>
    public static ToolCatalog FromOpenApi(string openApiJson)
    {
        var document = JsonNode.Parse(openApiJson)?.AsObject() ?? throw new InvalidOperationException("The OpenAPI document is empty.");
        var components = document["components"]?["schemas"]?.AsObject() ?? [];
        var tools = new List<Tool>();
        foreach (var tool in ToolOperations.All)
        {
            var operation = document["paths"]?[ApiPrefix + tool.Path]?[tool.Method.ToLowerInvariant()]?.AsObject()
                ?? throw new InvalidOperationException($"The OpenAPI document has no {tool.Method} {ApiPrefix}{tool.Path} for the tool {tool.Name}.");
            tools.Add(new Tool
            {
                Name = tool.Name,
                Title = operation["summary"]?.GetValue<string>(),
                Description = Describe(tool, operation),
                InputSchema = ToElement(InputSchema(tool, operation, components)),
                OutputSchema = ToElement(OutputSchema(tool, operation, components)),
                Annotations = new ToolAnnotations
                {
                    Title = operation["summary"]?.GetValue<string>(),
                    ReadOnlyHint = tool.Kind == ToolKind.Read,
                    DestructiveHint = tool.Kind == ToolKind.Destructive,
                    IdempotentHint = tool.Kind == ToolKind.Read,
                    OpenWorldHint = false,
                },
            });
        }

        return new ToolCatalog(tools, ToolOperations.All.ToDictionary(t => t.Name));
    }

    private static string Describe(ToolOperation tool, JsonObject operation)
    {
        var description = operation["description"]?.GetValue<string>() ?? operation["summary"]?.GetValue<string>() ?? tool.Name;
        var rest = $"{tool.Method} {ApiPrefix}{tool.Path}";
        return tool.Guidance is null ? $"{description} ({rest})" : $"{description} {tool.Guidance.Trim()} ({rest})";
    }

    private static JsonObject InputSchema(ToolOperation tool, JsonObject operation, JsonObject components)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
        {
            var where = parameter?["in"]?.GetValue<string>();
            if (parameter is null || where is not ("path" or "query"))
            {
                continue; // headers (Idempotency-Key) are the server's business
            }

            var name = parameter["name"]!.GetValue<string>();
            var schema = Inline(parameter["schema"], components, 0);
            var description = parameter["description"]?.GetValue<string>() ?? (where == "path" ? IdDescription(tool) : null);
            if (description is not null)
            {
                schema["description"] = description;
            }

            properties[name] = schema;
            if (parameter["required"]?.GetValue<bool>() == true && !tool.StopsTimer)
            {
                required.Add(name);
            }
        }

        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } bodyRef)
        {
            var body = Inline(bodyRef, components, 0);
            var keep = tool.StartsTimer ? ToolOperations.TimerFields : null;
            foreach (var (name, schema) in body["properties"]?.AsObject() ?? [])
            {
                if (keep is null || keep.Contains(name))
                {
                    properties[name] = schema?.DeepClone();
                }
            }

            foreach (var name in body["required"]?.AsArray() ?? [])
            {
                if (name is not null && properties.ContainsKey(name.GetValue<string>()))
                {
                    required.Add(name.GetValue<string>());
                }
            }
        }

        var input = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            input["required"] = required;
        }

        input["additionalProperties"] = false;
        return input;
    }

    private static string IdDescription(ToolOperation tool)
    {
        var resource = tool.Name[(tool.Name.IndexOf('_') + 1)..].Replace('_', ' ');
        return tool.StopsTimer
            ? "The time entry's id (a UUID). Leave it out to stop your own running timer."
            : $"The {resource}'s id (a UUID), as list_{Plural(resource)} returns it.";
    }

    private static string Plural(string resource) => resource.Replace(' ', '_') switch
    {
        "time_entry" => "time_entries",
        var other => other + "s",
    };

    /// <summary>The 2xx response's schema with its component references kept under <c>$defs</c>; a 204 answers <c>{deleted, id}</c>.</summary>
    private static JsonObject OutputSchema(ToolOperation tool, JsonObject operation, JsonObject components)
    {
        var responses = operation["responses"]?.AsObject() ?? [];
        var success = responses.FirstOrDefault(r => r.Key is "200" or "201").Value;
        if (success?["content"]?["application/json"]?["schema"] is not { } schema)
        {
            return DeletedSchema();
        }

        var defs = new JsonObject();
        // The root is the envelope's own schema (MCP wants "type": "object" there); deeper references go to $defs.
        var root = schema["$ref"]?.GetValue<string>() is { } reference ? components[ComponentName(reference)]! : schema;
        var output = Referenced(root, components, defs);
        if (output["type"]?.GetValue<string>() != "object")
        {
            throw new InvalidOperationException($"The response of {tool.Name} is not an object.");
        }

        if (defs.Count > 0)
        {
            output["$defs"] = defs;
        }

        return output;
    }

    /// <summary>What a tool whose operation answers 204 returns as structured content.</summary>
    internal static JsonObject DeletedSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["deleted"] = new JsonObject { ["type"] = "boolean", ["description"] = "Always true: the call succeeded." },
            ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid", ["description"] = "The id that was sent." },
        },
        ["required"] = new JsonArray("deleted", "id"),
    };

    /// <summary>A schema with every <c>$ref</c> replaced by its component (input schemas stay flat and self-contained).</summary>
    private static JsonObject Inline(JsonNode? node, JsonObject components, int depth)
    {
        if (node is not JsonObject schema || depth > MaxDepth)
        {
            return [];
        }

        var result = schema["$ref"]?.GetValue<string>() is { } reference
            ? Inline(components[ComponentName(reference)], components, depth + 1)
            : [];
        foreach (var (key, value) in schema)
        {
            if (key == "$ref" || IsNotJsonSchema(key))
            {
                continue;
            }

            result[key] = Map(key, value, child => Inline(child, components, depth + 1));
        }

        return result;
    }

    /// <summary>A schema whose <c>$ref</c>s point into <paramref name="defs"/>, which collects every component reached.</summary>
    private static JsonObject Referenced(JsonNode node, JsonObject components, JsonObject defs)
    {
        if (node is not JsonObject schema)
        {
            return [];
        }

        var result = new JsonObject();
        foreach (var (key, value) in schema)
        {
            if (key == "$ref" && value?.GetValue<string>() is { } reference)
            {
                var name = ComponentName(reference);
                result["$ref"] = "#/$defs/" + name;
                if (!defs.ContainsKey(name))
                {
                    defs[name] = new JsonObject(); // placeholder first: a schema may refer to itself
                    defs[name] = Referenced(components[name] ?? new JsonObject(), components, defs);
                }
            }
            else if (!IsNotJsonSchema(key) && !(key == "format" && !IsStandardFormat(value)))
            {
                result[key] = Map(key, value, child => Referenced(child!, components, defs));
            }
        }

        return result;
    }

    /// <summary>Applies <paramref name="schemaOf"/> to the sub-schemas a JSON Schema keyword holds, copying other values.</summary>
    private static JsonNode? Map(string keyword, JsonNode? value, Func<JsonNode?, JsonObject> schemaOf) => (keyword, value) switch
    {
        ("items" or "additionalProperties" or "not" or "contains" or "propertyNames" or "if" or "then" or "else", JsonObject schema) => schemaOf(schema),
        ("properties" or "patternProperties" or "$defs" or "dependentSchemas", JsonObject map) =>
            new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)schemaOf(p.Value)))),
        ("allOf" or "anyOf" or "oneOf" or "prefixItems", JsonArray list) => new JsonArray([.. list.Select(item => (JsonNode?)schemaOf(item))]),
        _ => value?.DeepClone(),
    };

    // OpenAPI's own annotations and our x- extensions are not JSON Schema: strict validators refuse unknown keywords.
    private static bool IsNotJsonSchema(string key) =>
        key.StartsWith("x-", StringComparison.Ordinal) || key is "example" or "externalDocs" or "xml" or "discriminator";

    // Clients validate structured content against the output schema and warn on formats JSON Schema does not
    // define (OpenAPI's int64, our decimal); input schemas keep them, as hints for whoever fills the arguments.
    private static bool IsStandardFormat(JsonNode? format) =>
        format?.GetValue<string>() is "date-time" or "date" or "time" or "duration" or "email" or "hostname" or "ipv4" or "ipv6" or "uri" or "uri-reference" or "uuid";

    private static string ComponentName(string reference) => reference[(reference.LastIndexOf('/') + 1)..];

    private static JsonElement ToElement(JsonObject schema) => JsonElement.Parse(schema.ToJsonString());
}
