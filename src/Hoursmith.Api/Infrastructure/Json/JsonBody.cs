using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hoursmith.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Infrastructure.Json;

/// <summary>
/// A JSON object body bound as <typeparamref name="T"/>, remembering which fields were sent, so
/// PATCH can tell "omitted" (keep) from <c>null</c> (clear). Not JSON → 415; malformed JSON, not an
/// object, or a field of the wrong JSON type → 400. Unknown fields are ignored.
/// </summary>
public sealed partial class JsonBody<T> : IEndpointParameterMetadataProvider
{
    private readonly HashSet<string> _present;
    private readonly JsonNamingPolicy? _naming;
    private readonly IEnumerable<string> _fields;

    private JsonBody(T value, HashSet<string> present, JsonSerializerOptions options)
    {
        Value = value;
        _present = present;
        _naming = options.PropertyNamingPolicy;
        _fields = options.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name);
    }

    public T Value { get; }

    /// <summary>
    /// Whether the client sent <paramref name="field"/>, even as null. The field is named by a lambda
    /// reading the input record's property (<c>body.Has(sent =&gt; sent.ContactName)</c>), so a typo
    /// does not compile; its JSON name comes from the serializer's naming policy. Only the lambda's
    /// text is read (<paramref name="expression"/>, filled in by the compiler), never the lambda: an
    /// expression tree, built anew by every call, cost a write endpoint tens of microseconds.
    /// </summary>
    public bool Has<TField>(Func<T, TField> field, [CallerArgumentExpression(nameof(field))] string expression = "") =>
        _present.Contains(JsonName(expression));

    /// <summary>
    /// Whether to apply <paramref name="field"/>: on create every field is read (an absent one as null),
    /// on PATCH only those sent.
    /// </summary>
    public bool Applies<TField>(Func<T, TField> field, bool creating, [CallerArgumentExpression(nameof(field))] string expression = "") =>
        creating || Has(field, expression);

    /// <summary>
    /// Whether the client sent <paramref name="jsonName"/>, a field that <typeparamref name="T"/> does not
    /// have: a read-only field of the resource, which a handler refuses by name rather than ignore.
    /// </summary>
    public bool HasReadOnly(string jsonName) => _present.Contains(jsonName);

    /// <summary>The fields of <typeparamref name="T"/> the client sent (JSON names, in declaration order); unknown ones are ignored.</summary>
    public IEnumerable<string> SentFields => _fields.Where(_present.Contains);

    /// <summary>JSON names by naming policy and the text of the lambda that names the property (<c>sent =&gt; sent.Name</c>).</summary>
    private static readonly ConcurrentDictionary<(JsonNamingPolicy? Naming, string Expression), string> s_jsonNames = new();

    private string JsonName(string expression) =>
        s_jsonNames.GetOrAdd((_naming, expression), static key => ReadJsonName(key.Expression, key.Naming));

    private static string ReadJsonName(string expression, JsonNamingPolicy? naming)
    {
        var match = PropertyLambda().Match(expression);
        var property = match.Success ? typeof(T).GetProperty(match.Groups["property"].Value) : null;
        return property is not null
            ? naming?.ConvertName(property.Name) ?? property.Name
            : throw new ArgumentException($"Name a property of {typeof(T).Name}, as in sent => sent.Name (got \"{expression}\").", nameof(expression));
    }

    [GeneratedRegex(@"^\s*(static\s+)?(?<parameter>\w+)\s*=>\s*\k<parameter>\s*\.\s*(?<property>\w+)\s*$")]
    private static partial Regex PropertyLambda();

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Expected a JSON body.", StatusCodes.Status415UnsupportedMediaType);
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException json)
        {
            throw new BadHttpRequestException("Malformed JSON.", StatusCodes.Status400BadRequest, json);
        }
        catch (Exception failure) when (failure is not (BadHttpRequestException or OperationCanceledException))
        {
            // Whatever else stops the body from being read (a broken stream) is the request's fault, not ours.
            throw ErrorHandling.BadRequest(UnreadableBody, failure);
        }

        using (document)
        {
            return Read(document.RootElement, options);
        }
    }

    /// <summary>
    /// The body <paramref name="root"/> is, read with the API's <paramref name="options"/>; also how
    /// tests of pure rules build the body a request would have bound.
    /// </summary>
    internal static JsonBody<T> Read(JsonElement root, JsonSerializerOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BadHttpRequestException("The request body must be a JSON object.", StatusCodes.Status400BadRequest);
        }

        if (!IsText(root))
        {
            throw ErrorHandling.BadRequest(NotText);
        }

        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in root.EnumerateObject())
        {
            present.Add(property.Name);
        }

        try
        {
            var value = root.Deserialize<T>(options)
                ?? throw new BadHttpRequestException("The request body must be a JSON object.", StatusCodes.Status400BadRequest);
            return new JsonBody<T>(value, present, options);
        }
        catch (JsonException json)
        {
            throw new BadHttpRequestException("A field has the wrong JSON type.", StatusCodes.Status400BadRequest, json);
        }
    }

    public const string UnreadableBody = "The request body could not be read.";

    public const string NotText = "The request body is not valid text: a string holds a lone UTF-16 surrogate (a \\uD800–\\uDFFF escape without its pair).";

    /// <summary>
    /// Whether every property name and string is valid UTF-16. JSON's <c>\uD800</c> escapes can spell a
    /// lone surrogate, which the parser accepts but no string can hold (reading it throws) and no
    /// store can keep: such a body cannot be read as text (decided in docs/idempotency.md).
    /// </summary>
    internal static bool IsText(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.Object => element.EnumerateObject().All(p => p.Name is not null && IsText(p.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(IsText),
                JsonValueKind.String => element.GetString() is not null,
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Describes the body in OpenAPI as <typeparamref name="T"/>.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));

    private sealed class AcceptsMetadata(string[] contentTypes, Type requestType) : IAcceptsMetadata
    {
        public IReadOnlyList<string> ContentTypes { get; } = contentTypes;
        public Type? RequestType { get; } = requestType;
        public bool IsOptional => false;
    }
}
