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
                    Description = "Time tracking and invoicing for studios and agencies. Authenticate every /api/v1 request with Authorization: Bearer hsk_….",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "hsk_<env>_<prefix>_<secret>",
                    Description = "A workspace API token, minted in the app (Settings → API) or with the CLI.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeErrorsAsync);
            options.AddOperationTransformer(Lists.ListSetup.DescribeAsync);
            options.AddOperationTransformer(Idempotency.IdempotencySetup.DescribeAsync);
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
                // "Try it" calls the origin that served the page, whatever the document's servers say.
                .AddServer("/")
                .WithNonce(SecurityHeaders.ScriptNonce(context)))
            .AllowAnonymous();
        return app;
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

        var errors = new List<(int Status, string Description)> { (400, "Malformed request: bad JSON, wrong types, a bad query parameter or cursor, or plain HTTP where HTTPS is required.") };
        if (authenticated)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] });
            errors.Add((401, "Missing, malformed, unknown, revoked or expired token (also sends WWW-Authenticate: Bearer)."));
            errors.Add((402, "The workspace's plan lacks API access (Free, or lapsed); the body names requiredPlan and feature."));
            errors.Add((403, "The token's role may not perform this action."));
        }

        if (hasPathParameter)
        {
            errors.Add((404, "Not found, or not visible to this token."));
        }

        if (hasBody)
        {
            errors.Add((413, "The request body is too large."));
            errors.Add((415, "The request body is not JSON."));
            errors.Add((422, "Well-formed but invalid; fields maps each bad field to a reason."));
        }

        if (authenticated)
        {
            errors.Add((429, "Too many requests; wait for Retry-After seconds."));
        }

        errors.Add((500, "Unexpected error; the body carries a requestId and nothing else of the failure."));

        operation.Responses ??= [];
        foreach (var (status, description) in errors)
        {
            operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(ErrorSchemaId, document) },
                },
            });
        }
    }
}
