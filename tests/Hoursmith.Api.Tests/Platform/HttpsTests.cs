using Hoursmith.Api.Tests.Support;

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
}
