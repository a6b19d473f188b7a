using System.Reflection;
using System.Text.Json.Nodes;

namespace Hoursmith.Api.Infrastructure.OpenApi;

/// <summary>
/// On a string property that carries an enum on the wire: lists its values (as
/// <see cref="WireEnum{T}"/> writes them) in the OpenAPI schema.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class EnumValuesAttribute(Type enumType) : Attribute
{
    public Type EnumType { get; } = enumType;

    public IReadOnlyList<string> Names =>
        (IReadOnlyList<string>)typeof(WireEnum<>).MakeGenericType(EnumType).GetProperty(nameof(WireEnum<Data.Entities.Role>.Names), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    public IList<JsonNode> AsSchemaEnum() => [.. Names.Select(name => (JsonNode)JsonValue.Create(name))];
}
