using Hoursmith.Api.Data;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Hoursmith.Api.Infrastructure.Idempotency;

public static class IdempotencySetup
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection(IdempotencyOptions.Section));
        services.AddSingleton<SqliteWriterTurns>();
        services.AddHostedService<ExpiredKeyCleanup>();
        return services;
    }

    /// <summary>After authorization: a POST the caller may not make never reaches the key check.</summary>
    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();

    /// <summary>Declares the required header on every authenticated POST of the OpenAPI document.</summary>
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!Auth.EndpointAuthorization.RequiresToken(context.Description.ActionDescriptor.EndpointMetadata) || !string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase))
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyMiddleware.HeaderName,
            In = ParameterLocation.Header,
            Required = true,
            Description = "A unique key per logical request (a UUID), at most 255 characters. A retry with the same key and body within 24 hours " +
                "replays the first response (with Idempotent-Replayed: true) instead of acting twice; the same key with another body is 409.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyMiddleware.MaxKeyLength },
        });
        return Task.CompletedTask;
    }

    /// <summary>Deletes expired keys now and then, in the background; reads already ignore them.</summary>
    private sealed class ExpiredKeyCleanup(IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, TimeProvider time, ILogger<ExpiredKeyCleanup> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(options.Value.CleanupInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<HoursmithDb>();
                    var now = time.GetUtcNow().UtcDateTime;
                    await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(stoppingToken);
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    // A missed round is harmless: expired keys are ignored on read and go next time.
                    logger.LogWarning(failure, "Deleting expired idempotency keys failed");
                }
            }
        }
    }
}
