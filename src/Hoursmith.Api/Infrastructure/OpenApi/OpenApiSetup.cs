using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Hoursmith.Api.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document at <c>/api/openapi.json</c> and the Scalar reference at <c>/api-docs</c>,
/// both public. Transformers add the Bearer scheme and, on every operation, the error responses
/// it can produce, all in the one envelope.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/api/openapi.json";
    public const string DocsPath = "/api-docs";
    private const string SchemeId = "bearerAuth";

    /// <summary>Where members mint their own tokens (web.md); the docs point every integrator there.</summary>
    private const string SettingsPage = "/settings/api";

    private const string ErrorSchemaId = "ErrorEnvelope";

    public static IServiceCollection AddHoursmithOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, context, _) =>
            {
                // The framework lists the request's own scheme and Host header: a forged Host would send
                // "try it" calls, token included, to another server. Only configuration names a host.
                var publicUrl = context.ApplicationServices.GetRequiredService<IOptions<HoursmithOptions>>().Value.PublicBaseUrl;
                document.Servers = [new OpenApiServer { Url = publicUrl ?? "/" }];
                document.Info = new OpenApiInfo
                {
                    Title = "Hoursmith API",
                    Version = "v1",
                    Description = $"Time tracking and invoicing for studios and agencies. Authenticate every /api/v1 request with Authorization: Bearer hsk_…; "
                        + $"every member mints, sees and revokes their own tokens on this server's [Settings → API]({publicUrl}{SettingsPage}) page.",
                    // Both linters ask for these. No open-source license applies to the service's API (SPDX spells "none of the listed" LicenseRef-…); no support address is published yet.
                    Contact = new OpenApiContact { Name = "Hoursmith" },
                    License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "hsk_<env>_<prefix>_<secret>",
                    Description = $"A workspace API token (hsk_…), minted on [Settings → API]({publicUrl}{SettingsPage}) or by the operator with the CLI (tokens mint).",
                };
                document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
                foreach (var (name, header) in ResponseHeaders.Components)
                {
                    document.Components.Headers[name] = header;
                }

                AddDocumentationPaths(document);
                document.Tags = new HashSet<OpenApiTag>(ApiTags.All.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(InputSchemas.TransformDocumentAsync);
            // Last: the same document on every run and build, whatever order endpoints and types were met in.
            options.AddDocumentTransformer(SortAsync);
            options.AddOperationTransformer(DescribeErrorsAsync);
            options.AddOperationTransformer(ResponseHeaders.DescribeAsync);
            options.AddOperationTransformer(Lists.ListSetup.DescribeAsync);
            options.AddOperationTransformer(Idempotency.IdempotencySetup.DescribeAsync);
            // After the list parameters exist: their enums get type and member names for generated clients.
            options.AddOperationTransformer(ClientGeneration.NameParameterEnumsAsync);
            options.AddOperationTransformer(OpenApiExamples.DescribeOperationAsync);
            // Money and other decimals travel as strings (DecimalStringConverter).
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = context.JsonTypeInfo.Type;
                if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(EnumValuesAttribute), inherit: true) is [EnumValuesAttribute values, ..])
                {
                    schema.Enum = values.AsSchemaEnum();
                }

                if (type == typeof(decimal) || type == typeof(decimal?))
                {
                    schema.Type = type == typeof(decimal?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
                    schema.Format = "decimal";
                    schema.Pattern = null;
                }

                return Task.CompletedTask;
            });
            options.AddSchemaTransformer(InputSchemas.TransformSchemaAsync);
            options.AddSchemaTransformer(OpenApiExamples.TransformSchemaAsync);
            options.AddSchemaTransformer(ClientGeneration.TransformSchemaAsync);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapHoursmithOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        // Everything the page loads comes from this server (the package's embedded scalar.js; no CDN fonts, no
        // telemetry, none of the features backed by Scalar's cloud: AI chat, the share/deploy toolbar), so the
        // page's CSP allows this origin only; its inline script runs with the response's nonce.
        app.MapScalarApiReference(DocsPath, (options, context) => options
                .WithTitle("Hoursmith API")
                .WithOpenApiRoutePattern(DocumentPath)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                // The one scheme there is, selected, so "try it" sends the token pasted once.
                .AddPreferredSecuritySchemes(SchemeId)
                // "Try it" calls the origin that served the page, whatever the document's servers say.
                .AddServer("/")
                .WithNonce(SecurityHeaders.ScriptNonce(context)))
            .AllowAnonymous();
        return app;
    }

    /// <summary>Declares a 409 the handler answers, and when (a clause: "the expense is billed").</summary>
    public static RouteHandlerBuilder ProducesConflict(this RouteHandlerBuilder builder, string when) => builder.WithMetadata(new ConflictResponse(when));

    private sealed record ConflictResponse(string When);

    /// <summary>The document and the reference page are endpoints too, anonymous; the framework leaves them out.</summary>
    private static void AddDocumentationPaths(OpenApiDocument document)
    {
        OpenApiPathItem Page(string operationId, string summary, string description, string mediaType, JsonSchemaType type, System.Text.Json.Nodes.JsonNode example)
        {
            var error = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ErrorSchemaId, document) };
            OpenApiExamples.AddErrorExample(document, 400, error);
            return new()
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        OperationId = operationId,
                        Summary = summary,
                        Description = description,
                        Tags = new HashSet<OpenApiTagReference> { new(ApiTags.Documentation, document) },
                        Security = [],
                        Responses = new OpenApiResponses
                        {
                            ["200"] = new OpenApiResponse
                            {
                                Description = "OK",
                                Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = new OpenApiSchema { Type = type }, Example = example } },
                            },
                            ["400"] = new OpenApiResponse
                            {
                                Description = "The Host header is not one this server answers to, or plain HTTP where HTTPS is required.",
                                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = error },
                            },
                        },
                    },
                },
            };
        }

        document.Paths[DocumentPath] = Page("GetOpenApiDocument", "OpenAPI document",
            "This document: OpenAPI 3.1, the same on every request (committed as docs/openapi.json). No token needed.", "application/json", JsonSchemaType.Object,
            new System.Text.Json.Nodes.JsonObject
            {
                ["openapi"] = "3.1.1",
                ["info"] = new System.Text.Json.Nodes.JsonObject { ["title"] = "Hoursmith API", ["version"] = "v1" },
                ["paths"] = new System.Text.Json.Nodes.JsonObject { ["/api/v1/me"] = new System.Text.Json.Nodes.JsonObject() },
            });
        document.Paths[DocsPath] = Page("GetApiReference", "API reference page",
            "The interactive reference (Scalar) over this document; \"try it\" calls this server. No token needed.", "text/html", JsonSchemaType.String,
            "<!doctype html><html><head><title>Hoursmith API</title></head><body><div id=\"app\"></div><script src=\"/api-docs/scalar.js\"></script></body></html>");
    }

    private static Task SortAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var paths = new OpenApiPaths();
        foreach (var (path, item) in document.Paths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            paths[path] = item;
        }

        document.Paths = paths;
        if (document.Components?.Schemas is { } schemas)
        {
            document.Components.Schemas = new SortedDictionary<string, IOpenApiSchema>(schemas, StringComparer.Ordinal);
        }

        if (document.Components?.Examples is { } examples)
        {
            document.Components.Examples = new SortedDictionary<string, IOpenApiExample>(examples, StringComparer.Ordinal);
        }

        return Task.CompletedTask;
    }

    private static async Task DescribeErrorsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(ErrorSchemaId) != true)
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(ErrorEnvelope), null, cancellationToken);
            document.AddComponent(ErrorSchemaId, schema);
        }

        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authenticated = Auth.EndpointAuthorization.RequiresToken(metadata);
        var hasBody = context.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body);
        var hasPathParameter = context.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path);
        var isPost = string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase);
        // Only a permission can be missing from a role: /me needs a token and nothing else.
        var hasPermission = metadata.OfType<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>().SelectMany(p => p.Requirements).Any(r => r is Auth.PermissionRequirement);
        var conflicts = metadata.OfType<ConflictResponse>().Select(c => c.When).ToList();
        if (authenticated && isPost)
        {
            conflicts.Add("the Idempotency-Key was already used with another body, or its first request is still running");
        }

        var errors = new List<(int Status, string Description)> { (400, "Malformed request: bad JSON, wrong types, a bad query parameter or cursor, or plain HTTP where HTTPS is required.") };
        if (authenticated)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] });
            errors.Add((401, "Missing, malformed, unknown, revoked or expired token (also sends WWW-Authenticate: Bearer)."));
            errors.Add((402, "The workspace's plan lacks API access (Free, or lapsed); the body names requiredPlan and feature."));
            if (hasPermission)
            {
                errors.Add((403, "The token's role may not perform this action."));
            }
        }
        else
        {
            // Anonymous: no token is read, so "try it" sends none.
            operation.Security = [];
        }

        if (hasPathParameter)
        {
            errors.Add((404, "Not found, or not visible to this token."));
        }

        // The size limit is checked on every request, whatever its method, before the endpoint is known.
        errors.Add((413, hasBody ? "The request body is too large." : "A request body was sent and is too large (this operation takes none)."));
        if (hasBody)
        {
            errors.Add((415, "The request body is not JSON."));
        }

        if (conflicts.Count > 0)
        {
            errors.Add((409, "Conflict: " + string.Join("; ", conflicts) + "."));
        }

        if (hasBody || (authenticated && isPost))
        {
            errors.Add((422, hasBody
                ? "Well-formed but invalid (fields maps each bad field to a reason), or the Idempotency-Key header is missing or too long."
                : "The Idempotency-Key header is missing or too long (fields names it)."));
        }

        if (authenticated)
        {
            errors.Add((429, "Too many requests; wait for Retry-After seconds."));
        }

        errors.Add((500, "Unexpected error; the body carries a requestId and nothing else of the failure."));

        operation.Responses ??= [];
        foreach (var (status, description) in errors)
        {
            var media = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ErrorSchemaId, document) };
            if (operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
            {
                Description = description,
                Headers = new Dictionary<string, IOpenApiHeader>(),
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = media },
            }))
            {
                OpenApiExamples.AddErrorExample(document, status, media);
            }
        }
    }
}
