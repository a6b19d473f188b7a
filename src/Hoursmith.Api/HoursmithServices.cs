using Hoursmith.Api.Administration;
using Hoursmith.Api.Data;
using Hoursmith.Api.Features.Clients;
using Hoursmith.Api.Features.Expenses;
using Hoursmith.Api.Features.Health;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Features.Me;
using Hoursmith.Api.Features.Members;
using Hoursmith.Api.Features.Organization;
using Hoursmith.Api.Features.Projects;
using Hoursmith.Api.Features.Tasks;
using Hoursmith.Api.Features.TimeEntries;
using Hoursmith.Api.Features.Tokens;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Http;
using Hoursmith.Api.Infrastructure.Idempotency;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Infrastructure.Observability;
using Hoursmith.Api.Infrastructure.OpenApi;
using Hoursmith.Api.Infrastructure.RateLimiting;
using Hoursmith.Api.Infrastructure.Redis;
using Hoursmith.Api.Mcp;
using Hoursmith.Api.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api;

/// <summary>All registration and the request pipeline, in the order the spec evaluates a request.</summary>
public static class HoursmithServices
{
    public const string DefaultUrls = "http://localhost:5080";

    /// <summary>What both the server and the CLI need: options, database, administration.</summary>
    public static IServiceCollection AddHoursmithCore(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddHoursmithOptions(configuration, environment);
        services.AddHoursmithDatabase(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<WorkspaceAdministration>();
        services.AddScoped<TokenService>();
        services.AddScoped<SignInLinks>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<Invoicing>();
        services.AddWebhookOutbox(configuration);
        return services;
    }

    public static WebApplicationBuilder AddHoursmithServer(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.ClearProviders();
        builder.Logging.AddHoursmithConsole(builder.Environment);
        builder.Logging.QuietWhileStarting();
        // Framework request logs print full URLs (query strings included); ours print the path only.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Its per-request scope names Kestrel's connection-level id "RequestId", beside ours (X-Request-Id).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // The MCP SDK logs every message it handles; each tool call already has its dispatched request's line.
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        // Data protection comes with the authentication services but protects nothing here (no cookies).
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        builder.Services.AddHoursmithCore(builder.Configuration, builder.Environment);
        // Numbers are numbers: "42" in a numeric field is a client mistake (400), and the schema says so.
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddErrorEnvelope();
        builder.Services.AddRequestLog();
        builder.Services.AddAllowedHosts(builder.Configuration, builder.Environment);
        builder.Services.AddTransportSecurity();
        builder.Services.AddTokenAuthentication();
        builder.Services.AddWebPages();
        builder.Services.AddHoursmithOpenApi();
        builder.Services.AddLists();
        builder.Services.AddIdempotency(builder.Configuration);
        builder.Services.AddRedis(builder.Configuration);
        builder.Services.AddRateLimiting(builder.Configuration);
        builder.Services.AddHealth(builder.Configuration);
        builder.Services.AddObservability(builder.Configuration);
        builder.Services.AddHoursmithMcp();
        builder.Services.AddWebhooks();
        return builder;
    }

    public static WebApplication UseHoursmithPipeline(this WebApplication app)
    {
        // First: the MCP server dispatches its tools' API requests through everything below.
        ApiPipeline.Capture(app);
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseSecurityHeaders();
        app.UseErrorEnvelope();
        app.UseAllowedHosts();
        app.UseTransportSecurity();
        app.UseWebAssets();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimitCounting();
        app.UseAuthorization();
        app.UseRateLimitEnforcement();
        app.UseMoneyBlindness();
        app.UseIdempotency();

        app.MapHealthEndpoints();
        app.MapMetricsEndpoint(app.Configuration);
        app.MapHoursmithOpenApi();
        var api = app.MapGroup("/api/v1");
        api.MapMeEndpoints();
        api.MapTokenEndpoints();
        api.MapClientEndpoints();
        api.MapProjectEndpoints();
        api.MapTaskEndpoints();
        api.MapExpenseEndpoints();
        api.MapMemberEndpoints();
        api.MapOrganizationEndpoints();
        api.MapTimeEntryEndpoints();
        api.MapInvoiceEndpoints();
        app.MapHoursmithMcp();
        app.MapWebPages();
        api.MapWebhookEndpoints();
        return app;
    }

    /// <summary>Migrates the embedded database and seeds the demo workspace when configured and empty.</summary>
    public static async Task InitializeAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HoursmithDb>();
        if (DatabaseSetup.MigratesOnStart(db))
        {
            await DatabaseSetup.MigrateAsync(db);
        }

        await DatabaseSetup.OptimizeAsync(db);
        await Sessions.EnsureSigningKeyAsync(app.Services);

        var options = app.Services.GetRequiredService<IOptions<HoursmithOptions>>().Value;
        if (options.SeedDemo && await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(options.TokenEnvironment) is { } demo)
        {
            app.Lifetime.ApplicationStarted.Register(() => PrintDemo(app, options, demo));
        }
    }

    // Straight to stdout, never through a logger: this is the one time the token and the link are shown.
    private static void PrintDemo(WebApplication app, HoursmithOptions options, DemoCredentials demo)
    {
        var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = PublicAddress.Resolve(null, listening);
        var signIn = demo.OwnerSignInLink.UrlOn(PublicAddress.Resolve(options.PublicBaseUrl, listening));
        Console.Out.WriteLine($"""

            Demo workspace "{DemoSeeder.WorkspaceName}" created. Its Owner token is shown this once; store it now:

                {demo.OwnerToken}

            Try it:

                curl {address}/api/v1/me -H "Authorization: Bearer {demo.OwnerToken}"

            Sign in as the Owner to Settings → API (create and revoke tokens in the browser); the link works once, for {SignInLinks.DefaultMinutes} minutes:

                {signIn}

            """);
        Console.Out.Flush();
    }
}
