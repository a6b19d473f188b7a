using System.Text.Json;
using Hoursmith.Api.Features.Health;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Idempotency;
using Hoursmith.Api.Infrastructure.Observability;
using Hoursmith.Api.Infrastructure.RateLimiting;
using Hoursmith.Api.Infrastructure.Redis;
using Hoursmith.Api.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Hoursmith.Api.Tests.Unit;

/// <summary>The shipped appsettings.json states the defaults: binding it changes no setting.</summary>
public class AppSettingsTests
{
    private static readonly IConfiguration s_file = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppProcess.RepositoryRoot, "src", "Hoursmith.Api", "appsettings.json"), optional: false)
        .Build();

    public static TheoryData<string, object> Sections => new()
    {
        { HoursmithOptions.Section, new HoursmithOptions() },
        { RateLimitOptions.Section, new RateLimitOptions() },
        { RedisOptions.Section, new RedisOptions() },
        { IdempotencyOptions.Section, new IdempotencyOptions() },
        { WebhookOptions.Section, new WebhookOptions() },
        { HealthOptions.Section, new HealthOptions() },
        { MetricsOptions.Section, new MetricsOptions() },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Each_section_binds_to_the_code_defaults(string section, object defaults)
    {
        var bound = Activator.CreateInstance(defaults.GetType())!;
        s_file.GetSection(section).Bind(bound);

        // Empty strings in the file mean "not set", as the code reads them.
        Assert.Equal(Normalized(defaults), Normalized(bound));
        Assert.True(s_file.GetSection(section).Exists(), $"appsettings.json has no {section} section");
    }

    [Fact]
    public void The_database_settings_are_the_embedded_default()
    {
        Assert.Equal("sqlite", s_file["Database:Provider"]);
        Assert.Equal("Data Source=hoursmith.db", s_file.GetConnectionString("Hoursmith"));
        Assert.Null(s_file["AllowedHosts"]);
        Assert.Null(s_file["Hoursmith:RequireHttps"]);
    }

    private static string Normalized(object options) =>
        JsonSerializer.Serialize(options, options.GetType()).Replace("\"\"", "null", StringComparison.Ordinal);
}
