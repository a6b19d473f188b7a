using System.Text.Json;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Cluster;

/// <summary>
/// Behind nginx (which forwards the client's Host) the Production instances answer only for the
/// cluster's own names, and their document names the proxy's address, never a client's Host.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterHostTests
{
    private static async Task<HttpResponseMessage> GetAsync(string path, string? host = null)
    {
        using var client = ClusterFixture.Client(ClusterFixture.Proxy);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_forged_host_through_nginx_is_refused_in_the_envelope()
    {
        var response = await GetAsync("/api/openapi.json", "evil.example");

        await response.AssertErrorAsync(400, "bad_request");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("localhost:58080")]
    public async Task The_clusters_own_names_are_served_and_the_document_names_the_proxy(string? host)
    {
        var response = await GetAsync("/api/openapi.json", host);

        Assert.Equal(200, (int)response.StatusCode);
        var servers = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("servers");
        Assert.Equal(ClusterFixture.Proxy, Assert.Single(servers.EnumerateArray()).GetProperty("url").GetString());
    }
}
