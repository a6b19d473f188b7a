using Hoursmith.Api.Infrastructure.Http;
using Hoursmith.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>Hosts that require HTTPS: untrusted (the default) and behind a trusted proxy on loopback.</summary>
public sealed class HttpsRequiredFactory() : ApiFactory(new Dictionary<string, string?> { ["Hoursmith:RequireHttps"] = "true" });

public sealed class TrustedProxyFactory() : ApiFactory(new Dictionary<string, string?>
{
    ["Hoursmith:RequireHttps"] = "true",
    ["Hoursmith:TrustedProxies:0"] = "127.0.0.1",
});

public class HttpsTests(HttpsRequiredFactory factory) : IClassFixture<HttpsRequiredFactory>
{
    [Fact]
    public async Task Plain_http_is_refused_with_400_and_never_redirected()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;

        var response = await factory.ClientWith(token, "http://localhost").GetAsync("/api/v1/me");

        var error = await response.AssertErrorAsync(400, "bad_request");
        Assert.Contains("HTTPS is required", error.GetProperty("message").GetString());
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Https_requests_are_served()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;

        Assert.Equal(200, (int)(await factory.ClientWith(token, "https://localhost").GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Forwarded_proto_from_an_untrusted_peer_is_ignored()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        using var client = factory.ClientWith(token, "http://localhost");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        await (await client.GetAsync("/api/v1/me")).AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task Health_probes_may_use_plain_http()
    {
        Assert.Equal(200, (int)(await factory.ClientWith(null, "http://localhost").GetAsync("/health")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/me")]
    [InlineData("/health")]
    [InlineData("/api-docs/")]
    [InlineData("/nothing")]
    public async Task Https_responses_carry_hsts(string path)
    {
        var response = await factory.ClientWith(null, "https://localhost").GetAsync(path);

        Assert.Equal(SecurityHeaders.StrictTransportSecurity, Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Theory]
    [InlineData("/api/v1/me")]
    [InlineData("/health")]
    public async Task Plain_http_responses_never_carry_hsts(string path)
    {
        var response = await factory.ClientWith(null, "http://localhost").GetAsync(path);

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}

public class TrustedProxyTests(TrustedProxyFactory factory) : IClassFixture<TrustedProxyFactory>
{
    [Fact]
    public async Task Forwarded_proto_from_a_configured_proxy_is_honoured()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        using var viaProxy = factory.ClientWith(token, "http://localhost");
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var direct = factory.ClientWith(token, "http://localhost");

        Assert.Equal(200, (int)(await viaProxy.GetAsync("/api/v1/me")).StatusCode);
        await (await direct.GetAsync("/api/v1/me")).AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task Https_ended_at_a_configured_proxy_gets_hsts()
    {
        using var viaProxy = factory.ClientWith(null, "http://localhost");
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var response = await viaProxy.GetAsync("/health");

        Assert.Equal(SecurityHeaders.StrictTransportSecurity, Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }
}

/// <summary>The application as it runs in Production (host filtering on), with <paramref name="settings"/>.</summary>
public class ProductionFactory(IDictionary<string, string?> settings) : ApiFactory(settings)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(Environments.Production);
    }
}

public sealed class ProductionWithPublicUrlFactory() : ProductionFactory(new Dictionary<string, string?> { ["Hoursmith:PublicUrl"] = "https://time.example.com" });

public sealed class ProductionWithAllowedHostsFactory() : ProductionFactory(new Dictionary<string, string?>
{
    ["Hoursmith:PublicUrl"] = "https://time.example.com",
    ["AllowedHosts"] = "api.example.com; *.example.org",
});

public sealed class ProductionUnconfiguredFactory() : ProductionFactory(new Dictionary<string, string?>());

/// <summary>Production answers only for its own host names; a refusal is the usual envelope with the usual headers.</summary>
public class AllowedHostsTests(ProductionWithPublicUrlFactory factory) : IClassFixture<ProductionWithPublicUrlFactory>
{
    [Theory]
    [InlineData("evil.example")]
    [InlineData("localhost")]
    [InlineData("time.example.com.evil.example")]
    public async Task Another_host_is_refused_with_400_in_the_envelope(string host)
    {
        var response = await OpenApiTests.GetWithHostAsync(factory, "/api/openapi.json", host);

        var error = await response.AssertErrorAsync(400, "bad_request");
        Assert.Contains("Host", error.GetProperty("message").GetString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.DoesNotContain(host, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("time.example.com")]
    [InlineData("TIME.example.com:8443")]
    public async Task The_public_urls_host_is_served_on_any_port(string host)
    {
        Assert.Equal(200, (int)(await OpenApiTests.GetWithHostAsync(factory, "/api/openapi.json", host)).StatusCode);
    }

    [Fact]
    public async Task Api_requests_to_another_host_are_refused_before_authentication()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var token = (await workspace.MintAsync(workspace.OwnerId)).Token;
        using var client = factory.ClientWith(token, "http://evil.example");
        using var ours = factory.ClientWith(token, "http://time.example.com");

        var refused = await client.GetAsync("/api/v1/me");

        await refused.AssertErrorAsync(400, "bad_request");
        Assert.True(refused.Headers.CacheControl?.NoStore == true);
        Assert.Equal(200, (int)(await ours.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Health_probes_may_use_any_host()
    {
        Assert.Equal(200, (int)(await OpenApiTests.GetWithHostAsync(factory, "/health", "10.0.0.5:5080")).StatusCode);
    }
}

public class ConfiguredAllowedHostsTests(ProductionWithAllowedHostsFactory factory) : IClassFixture<ProductionWithAllowedHostsFactory>
{
    [Theory]
    [InlineData("api.example.com", 200)]
    [InlineData("eu.example.org", 200)]
    [InlineData("time.example.com", 400)] // the configured list replaces the default from PublicUrl
    [InlineData("example.com", 400)]
    public async Task The_configured_list_decides(string host, int status)
    {
        Assert.Equal(status, (int)(await OpenApiTests.GetWithHostAsync(factory, "/api/openapi.json", host)).StatusCode);
    }
}

public class UnconfiguredAllowedHostsTests(ProductionUnconfiguredFactory factory) : IClassFixture<ProductionUnconfiguredFactory>
{
    [Fact]
    public async Task Without_allowed_hosts_or_public_url_any_host_is_served_and_a_warning_says_so()
    {
        Assert.Equal(200, (int)(await OpenApiTests.GetWithHostAsync(factory, "/api/openapi.json", "anything.example")).StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.StartsWith($"Warning {typeof(AllowedHosts).FullName}:", StringComparison.Ordinal)
            && e.Contains("AllowedHosts", StringComparison.Ordinal));
    }
}

public class AllowedHostsDefaultsTests
{
    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };

    [Theory]
    [InlineData("Development", null, null, "*")]
    [InlineData("Development", null, "https://time.example.com", "*")]
    [InlineData("Production", null, null, "*")]
    [InlineData("Production", null, "https://time.example.com:8443/base/", "time.example.com")]
    [InlineData("Staging", null, "http://[::1]:5080", "[::1]")]
    [InlineData("Production", "a.example;b.example", "https://time.example.com", "a.example;b.example")]
    [InlineData("Development", "a.example", null, "a.example")]
    public void Configured_hosts_win_then_the_public_urls_host_outside_development(string environment, string? configured, string? publicUrl, string expected)
    {
        Assert.Equal(expected, string.Join(';', AllowedHosts.Resolve(configured, Environment(environment), publicUrl)));
    }

    [Theory]
    [InlineData("time.example.com")]
    [InlineData("/relative")]
    [InlineData("ftp://time.example.com")]
    [InlineData("https://time.example.com/?q=1")]
    [InlineData("https://user:pass@time.example.com")]
    public async Task An_invalid_public_url_stops_the_server_from_starting(string publicUrl)
    {
        await using var factory = new ProductionFactory(new Dictionary<string, string?> { ["Hoursmith:PublicUrl"] = publicUrl });

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Hoursmith:PublicUrl", failure.Message);
    }
}
