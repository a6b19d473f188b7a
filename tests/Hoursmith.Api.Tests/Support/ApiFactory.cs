using System.Net;
using System.Net.Http.Headers;
using Hoursmith.Api.Administration;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// The real application over a database of its own (a SQLite file, or a fresh PostgreSQL database
/// under <c>HOURSMITH_TEST_DATABASE=postgres</c>; see <see cref="TempDatabase"/>), which a CLI in
/// another process can share. Each test class gets one; tests create their own workspaces, so they never share rows.
/// With <c>HOURSMITH_TEST_REDIS</c> set it uses that Redis, under a key prefix of its own (see <see cref="TestRedis"/>).
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ApiFactory() : this(new Dictionary<string, string?>())
    {
    }

    protected ApiFactory(IDictionary<string, string?> overrides)
    {
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hoursmith"] = ConnectionString,
            ["Hoursmith:SeedDemo"] = "false",
            ["Hoursmith:TokenEnvironment"] = "test",
            ["Hoursmith:RequireHttps"] = "false",
            // Suites that are not about limits send far more than 30 requests in 10 s per token.
            ["RateLimits:Enabled"] = "false",
        };
        // Always explicit, so a Redis__Configuration exported in the shell never leaks in.
        _settings["Redis:Configuration"] = TestRedis.FromEnvironment ?? "";
        _settings["Redis:KeyPrefix"] = TestRedis.UniquePrefix();
        _settings["Redis:TimeoutMilliseconds"] = TestRedis.TimeoutMilliseconds;

        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    public TempDatabase Database { get; } = new();

    public string ConnectionString => Database.ConnectionString;

    /// <summary>Every log entry the server wrote, for the secrets-never-logged tests.</summary>
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Read while services are registered, before ConfigureAppConfiguration applies; always explicit,
        // so a Database__Provider exported in the shell never pairs with the wrong connection string.
        builder.UseSetting("Database:Provider", TempDatabase.Provider);
        // Whether Redis is configured and metrics are on decides what is registered: read then too.
        foreach (var (key, value) in _settings.Where(s => s.Key.StartsWith("Redis:", StringComparison.Ordinal) || s.Key.StartsWith("Metrics:", StringComparison.Ordinal)))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            // First, outside everything: every response to a documented operation is held to the OpenAPI document.
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ResponseContractMiddleware>();
            // TestServer leaves the remote address empty; a real connection always has one.
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, LoopbackRemoteAddress>();
        });
    }

    /// <summary>
    /// A client that sends <paramref name="token"/> and, like every well-behaved integration, a fresh
    /// <c>Idempotency-Key</c> on each POST that has none (<paramref name="idempotencyKeys"/>: false to test without).
    /// No redirects followed, no cookies kept.
    /// </summary>
    public HttpClient ClientWith(string? token, string baseAddress = "http://localhost", bool idempotencyKeys = true)
    {
        var client = idempotencyKeys
            ? CreateDefaultClient(new Uri(baseAddress), new IdempotencyKeyHandler())
            : CreateDefaultClient(new Uri(baseAddress));
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A new workspace with an Owner, through the same code path as the CLI.</summary>
    public async Task<TestWorkspace> CreateWorkspaceAsync(Plan plan = Plan.Studio, string? name = null)
    {
        Server.ToString(); // make sure the host (and its migrations) ran
        await using var scope = Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<WorkspaceAdministration>();
        var (workspace, owner) = await admin.CreateWorkspaceAsync(name ?? $"Studio {Guid.NewGuid():N}"[..20], plan, $"owner-{Guid.NewGuid():N}@example.com", "Olga Owner", "EUR");
        return new TestWorkspace(this, workspace.Id, owner.Id);
    }

    public async Task<T> WithAdminAsync<T>(Func<WorkspaceAdministration, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<WorkspaceAdministration>());
    }

    public async Task<T> WithDbAsync<T>(Func<HoursmithDb, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<HoursmithDb>());
    }

    /// <summary>A client "Acme" (EUR) with a project "Website", both created and updated at <paramref name="at"/>.</summary>
    public Task<(Guid ClientId, Guid ProjectId)> AddClientAndProjectAsync(TestWorkspace workspace, DateTime at) => WithDbAsync(async db =>
    {
        var client = new Client { WorkspaceId = workspace.Id, Name = "Acme", Currency = "EUR", CreatedAt = at, UpdatedAt = at };
        var project = new Project { WorkspaceId = workspace.Id, Client = client, Name = "Website", CreatedAt = at, UpdatedAt = at };
        db.AddRange(client, project);
        await db.SaveChangesAsync();
        return (client.Id, project.Id);
    });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Database.Dispose();
    }

    private sealed class IdempotencyKeyHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && !request.Headers.Contains("Idempotency-Key"))
            {
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class LoopbackRemoteAddress : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(nextMiddleware => context =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>A workspace made for one test, with helpers to add members and mint real tokens.</summary>
public sealed record TestWorkspace(ApiFactory Factory, Guid Id, Guid OwnerId)
{
    public Task<Guid> AddMemberAsync(Role role) => Factory.WithAdminAsync(async admin =>
        (await admin.AddMemberAsync(Id, $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.com", $"{role} Person", role)).Id);

    public Task<MintedToken> MintAsync(Guid memberId, string name = "Test token", TokenEnvironment environment = TokenEnvironment.Test, DateOnly? expires = null) =>
        Factory.WithAdminAsync(admin => admin.MintTokenAsync(Id, memberId, name, environment, expires));

    /// <summary>A token of a member with <paramref name="role"/> (the Owner's own for Owner).</summary>
    public async Task<(Guid MemberId, string Token)> TokenForRoleAsync(Role role)
    {
        var memberId = role == Role.Owner ? OwnerId : await AddMemberAsync(role);
        return (memberId, (await MintAsync(memberId, $"{role} token")).Token);
    }

    public HttpClient Client(string token) => Factory.ClientWith(token);
}
