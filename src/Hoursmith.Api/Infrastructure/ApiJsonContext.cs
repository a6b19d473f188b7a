using System.Text.Json;
using System.Text.Json.Serialization;
using Hoursmith.Api.Infrastructure.Errors;

namespace Hoursmith.Api.Infrastructure;

/// <summary>Source-generated serializers for the payloads written outside endpoint handlers.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ErrorEnvelope))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
