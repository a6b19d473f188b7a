using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hoursmith.Api.Data;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Hoursmith.Api.Infrastructure.Lists;

/// <summary>Registration of the list machinery and its description in the OpenAPI document.</summary>
public static class ListSetup
{
    /// <summary>
    /// The cursor signing key: <c>Hoursmith:CursorSecret</c> when set, otherwise a random key kept in
    /// the database (<see cref="ServerSecrets"/>), so cursors outlive restarts and are valid on every
    /// instance that shares the database, with no setting at all. Read once, on the first list request.
    /// </summary>
    public static IServiceCollection AddLists(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var secret = sp.GetRequiredService<IOptions<HoursmithOptions>>().Value.CursorSecret;
            if (!string.IsNullOrEmpty(secret))
            {
                return new ListCursor(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
            }

            using var scope = sp.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<HoursmithDb>();
            return new ListCursor(ServerSecrets.GetOrCreate(db, ServerSecrets.CursorSigning, sp.GetRequiredService<TimeProvider>()));
        });
        return services;
    }

    /// <summary>Declares the collection's list spec on its list endpoint, for the OpenAPI document.</summary>
    public static RouteHandlerBuilder WithList(this RouteHandlerBuilder builder, IListSpec spec) => builder.WithMetadata(spec);

    /// <summary>Adds the common and the declared list parameters to every list operation.</summary>
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IListSpec>().FirstOrDefault() is not { } spec)
        {
            return Task.CompletedTask;
        }

        var sorts = spec.SortFields.SelectMany(f => new[] { f, "-" + f }).ToList();
        operation.Parameters ??= [];
        Add(operation, "limit", $"Page size, 1–{ListQuery.MaxLimit} (default {ListQuery.DefaultLimit}).", new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Minimum = "1",
            Maximum = ListQuery.MaxLimit.ToString(CultureInfo.InvariantCulture),
            Default = System.Text.Json.Nodes.JsonValue.Create(ListQuery.DefaultLimit),
        });
        Add(operation, "cursor", "The previous page's pagination.nextCursor, unchanged; keep the same sort, search and filters.", new OpenApiSchema { Type = JsonSchemaType.String });
        Add(operation, "sort", $"field ascending, -field descending; default {ListQuery.DefaultSort}. id breaks ties.", new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. sorts.Select(s => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(s)!)],
            Default = System.Text.Json.Nodes.JsonValue.Create(ListQuery.DefaultSort),
        });
        if (spec.HasSearch)
        {
            Add(operation, "search", $"Case-insensitive partial match over {spec.SearchDescription}; at most {ListQuery.MaxSearchLength} characters.", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = ListQuery.MaxSearchLength });
        }

        Add(operation, "includeDeleted", "true to include soft-deleted rows (with deletedAt), so a sync can see deletions.", new OpenApiSchema { Type = JsonSchemaType.Boolean });
        foreach (var parameter in spec.Parameters)
        {
            Add(operation, parameter.Name, parameter.Description, SchemaOf(parameter.Format));
        }

        return Task.CompletedTask;
    }

    /// <summary>A filter's schema from its declared format (ListSpec: boolean, integer, uuid, date, date-time, decimal, string, or an enum's A|B|C).</summary>
    private static OpenApiSchema SchemaOf(string format) => format switch
    {
        "boolean" => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        "integer" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
        "string" => new OpenApiSchema { Type = JsonSchemaType.String },
        // Any letter case is accepted; the listed spelling is the canonical one.
        _ when format.Contains('|', StringComparison.Ordinal) => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. format.Split('|').Select(value => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(value))],
        },
        _ => new OpenApiSchema { Type = JsonSchemaType.String, Format = format },
    };

    private static void Add(OpenApiOperation operation, string name, string description, OpenApiSchema schema)
    {
        if (operation.Parameters!.Any(p => p.Name == name))
        {
            return;
        }

        operation.Parameters!.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema });
    }
}
