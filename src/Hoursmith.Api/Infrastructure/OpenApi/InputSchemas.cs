using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hoursmith.Api.Infrastructure.OpenApi;

/// <summary>
/// Request body schemas that say what the validator enforces, read from <see cref="FieldAttribute"/>:
/// each field's type, format, bounds and nullability, and the fields a create requires. The generator
/// alone lists every constructor parameter of a record as required and leaves text-typed numbers untyped.
/// A record used by both POST and PATCH gets a second schema, <c>&lt;Name&gt;Patch</c>, that requires nothing.
/// </summary>
public static class InputSchemas
{
    public static Task TransformSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property)
        {
            if (FieldOf(property) is { } field)
            {
                Describe(schema, field);
            }

            // A nullable enum lists null too, or a validator would refuse the null that clears it.
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null) && schema.Enum is { Count: > 0 } values && !values.Any(v => v is null))
            {
                values.Add(null!);
            }

            return Task.CompletedTask;
        }

        var typeInfo = context.JsonTypeInfo;
        if (typeInfo.Kind == JsonTypeInfoKind.Object && typeInfo.Properties.Any(p => FieldOf(p) is not null))
        {
            schema.Required = new HashSet<string>(typeInfo.Properties.Where(p => FieldOf(p)?.Required == true).Select(p => p.Name), StringComparer.Ordinal);
            var unless = typeInfo.Properties.Where(p => FieldOf(p)?.RequiredUnless is { Length: > 0 }).ToList();
            if (unless.Count > 0)
            {
                var map = new System.Text.Json.Nodes.JsonObject();
                foreach (var conditional in unless)
                {
                    map[conditional.Name] = new System.Text.Json.Nodes.JsonArray([.. FieldOf(conditional)!.RequiredUnless!.Select(f => (System.Text.Json.Nodes.JsonNode)f)]);
                }

                schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                schema.Extensions[RequiredUnlessExtension] = new JsonNodeExtension(map);
            }
        }
        else if (typeInfo.Kind == JsonTypeInfoKind.Object && schema.Required is { Count: > 0 } required)
        {
            // A Member's token never sees money (MoneyBlindness leaves those fields out), so they are not always there.
            foreach (var money in typeInfo.Properties.Where(p => p.AttributeProvider?.IsDefined(typeof(Json.MoneyAttribute), inherit: true) == true))
            {
                required.Remove(money.Name);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>PATCH changes only the fields sent: its body schema requires none of them.</summary>
    public static Task TransformDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null)
        {
            return Task.CompletedTask;
        }

        var operations = document.Paths.Values.SelectMany(path => path.Operations ?? []).ToList();
        var created = operations.Where(o => o.Key == HttpMethod.Post).Select(o => BodyReference(o.Value)?.Reference.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (method, operation) in operations)
        {
            if (method != HttpMethod.Patch || BodyReference(operation) is not { Reference.Id: { } id } || !created.Contains(id) || schemas[id] is not OpenApiSchema input)
            {
                continue;
            }

            var name = (id.EndsWith("Input", StringComparison.Ordinal) ? id[..^"Input".Length] : id) + "Patch";
            if (!schemas.ContainsKey(name))
            {
                var patch = (OpenApiSchema)input.CreateShallowCopy();
                patch.Required = null;
                patch.Extensions = null;
                patch.Description = "Only the fields sent change; null clears a field that may be empty. The rules are checked on the merged result.";
                document.AddComponent<IOpenApiSchema>(name, patch);
            }

            operation.RequestBody!.Content!["application/json"].Schema = new OpenApiSchemaReference(name, document);
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchemaReference? BodyReference(OpenApiOperation operation) =>
        operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true ? media.Schema as OpenApiSchemaReference : null;

    /// <summary>The create schema's map of conditionally required fields (<see cref="FieldAttribute.RequiredUnless"/>).</summary>
    public const string RequiredUnlessExtension = "x-required-unless";

    private static FieldAttribute? FieldOf(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(FieldAttribute), inherit: true) is [FieldAttribute field, ..] ? field : null;

    private static void Describe(OpenApiSchema schema, FieldAttribute field)
    {
        var type = field.Format switch
        {
            FieldFormat.WholeNumber => JsonSchemaType.Integer,
            // The converter reads a JSON number as well; the string is the exact form.
            FieldFormat.DecimalText => JsonSchemaType.String | JsonSchemaType.Number,
            null => (schema.Type ?? JsonSchemaType.String) & ~JsonSchemaType.Null,
            _ => JsonSchemaType.String,
        };
        schema.Type = field.Required || field.NotNull ? type : type | JsonSchemaType.Null;
        schema.Format = field.Format == FieldFormat.WholeNumber ? "int64" : field.Format ?? schema.Format;
        schema.Pattern = null;
        if (field.RequiredUnless is { Length: > 0 } alternatives)
        {
            schema.Description = $"{schema.Description} Required on create unless {string.Join(" or ", alternatives)} is sent.".Trim();
        }

        if (field.MaxLength > 0)
        {
            schema.MaxLength = field.MaxLength;
        }

        if (field.Minimum != long.MinValue)
        {
            schema.Minimum = field.Minimum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (field.Maximum != long.MaxValue)
        {
            schema.Maximum = field.Maximum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The <see cref="FieldAttribute"/> on a record's property, for tests that hold the validator to it.</summary>
    public static FieldAttribute? FieldOf(PropertyInfo property) => property.GetCustomAttribute<FieldAttribute>();
}
