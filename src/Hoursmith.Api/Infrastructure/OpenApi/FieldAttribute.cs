namespace Hoursmith.Api.Infrastructure.OpenApi;

/// <summary>
/// On a property of a request body record (<c>*Input</c>, <c>*Request</c>): what the handler's
/// <see cref="Validation.FieldValidator"/> enforces on it, stated once for the OpenAPI schema
/// (<see cref="InputSchemas"/>). Body fields arrive as text so that the validator can name a bad one
/// (422) instead of the JSON reader refusing the whole body (400); this says what the text must be.
/// <c>InputSchemaTests</c> checks the required fields and lengths against the validator itself.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FieldAttribute(string? format = null) : Attribute
{
    /// <summary>One of <see cref="FieldFormat"/>, or null for plain text.</summary>
    public string? Format { get; } = format;

    /// <summary>
    /// A create (POST) without it is a 422 <c>required</c>. A PATCH body of the same record requires
    /// nothing (<see cref="InputSchemas"/> gives it a <c>…Patch</c> schema); either way null is refused.
    /// </summary>
    public bool Required { get; set; }

    /// <summary>
    /// A create without it and without any of these fields (camelCase) is a 422 <c>required</c>: one
    /// of several will do. JSON Schema's <c>required</c> cannot say so; the create schema lists these
    /// under <c>x-required-unless</c>, and the field's description says it.
    /// </summary>
    public string[]? RequiredUnless { get; set; }

    /// <summary>Null is refused (422) rather than clearing the field; an omitted field keeps its default.</summary>
    public bool NotNull { get; set; }

    /// <summary>At most this many characters (after trimming); 0 for no limit.</summary>
    public int MaxLength { get; set; }

    /// <summary>Inclusive bounds of an <see cref="FieldFormat.WholeNumber"/>; <see cref="long.MinValue"/>/<see cref="long.MaxValue"/> for none.</summary>
    public long Minimum { get; set; } = long.MinValue;

    /// <inheritdoc cref="Minimum"/>
    public long Maximum { get; set; } = long.MaxValue;
}

/// <summary>The wire forms a <see cref="FieldAttribute"/> names.</summary>
public static class FieldFormat
{
    public const string Uuid = "uuid";
    public const string Date = "date";
    public const string DateTime = "date-time";
    public const string Email = "email";

    /// <summary>An absolute URL (webhook endpoints).</summary>
    public const string Uri = "uri";

    /// <summary>A number or a decimal string (NumberOrStringConverter); documented as a string with format decimal.</summary>
    public const string DecimalText = "decimal";

    /// <summary>A whole number (a numeric string is also read).</summary>
    public const string WholeNumber = "integer";
}
