using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hoursmith.Api.Infrastructure.OpenApi;

/// <summary>
/// What client generators (NSwag, openapi-typescript; GeneratedClientTests) need beyond what the framework writes:
/// a single object's <c>data</c> is never null, and a query parameter's enum has a name of its own
/// (<c>title</c>: <c>ListTimeEntriesSort</c>, not <c>Sort7</c>) and member names (<c>x-enum-varnames</c>:
/// <c>EntryDateDescending</c> for <c>-entryDate</c>, not <c>MinusentryDate</c>).
/// </summary>
public static class ClientGeneration
{
    private const string VarNamesExtension = "x-enum-varnames";
    private const string NullablePropertyMarker = "x-is-nullable-property";

    /// <summary>
    /// <c>DataEnvelope&lt;T&gt;.Data</c> is an unannotated generic, which the framework writes as nullable; every
    /// handler sends an object there, so generated clients should not make callers test it for null.
    /// </summary>
    public static Task TransformSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { Name: "data", DeclaringType: { IsGenericType: true } declaring } && declaring.GetGenericTypeDefinition() == typeof(DataEnvelope<>))
        {
            // The framework wraps a property it marked nullable in oneOf [null, $ref] when it writes the reference.
            schema.Metadata?.Remove(NullablePropertyMarker);
            schema.Extensions?.Remove(NullablePropertyMarker);
            if (schema.Type is { } type && type != JsonSchemaType.Null)
            {
                schema.Type = type & ~JsonSchemaType.Null;
            }
        }

        return Task.CompletedTask;
    }

    public static Task NameParameterEnumsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is not { Length: > 0 } operationId || operation.Parameters is null)
        {
            return Task.CompletedTask;
        }

        foreach (var parameter in operation.Parameters)
        {
            if (parameter.Schema is not OpenApiSchema { Enum: { Count: > 0 } values } schema || values.Any(v => v?.GetValueKind() != System.Text.Json.JsonValueKind.String))
            {
                continue;
            }

            schema.Title ??= operationId + Pascal(parameter.Name ?? "");
            schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            schema.Extensions[VarNamesExtension] = new JsonNodeExtension(new JsonArray([.. values.Select(v => (JsonNode)MemberName(v!.GetValue<string>()))]));
        }

        return Task.CompletedTask;
    }

    /// <summary><c>createdAt</c> → <c>CreatedAt</c>, <c>-createdAt</c> → <c>CreatedAtDescending</c>, <c>NET_30</c> stays.</summary>
    private static string MemberName(string value) =>
        value.StartsWith('-') ? Pascal(value[1..]) + "Descending" : Pascal(value);

    private static string Pascal(string text)
    {
        var name = new StringBuilder(text.Length);
        var upper = true;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                upper = true;
                continue;
            }

            name.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return name.Length > 0 && char.IsAsciiDigit(name[0]) ? "_" + name : name.ToString();
    }
}
