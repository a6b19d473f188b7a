using Hoursmith.Api.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>A public URL configured, and every Host answered (so a forged one reaches the document).</summary>
public sealed class PublicUrlFactory() : ApiFactory(new Dictionary<string, string?>
{
    ["Hoursmith:PublicUrl"] = "https://time.example.com/",
    ["AllowedHosts"] = "*",
});

public class OpenApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>GET <paramref name="path"/> with a forged Host header.</summary>
    internal static async Task<HttpResponseMessage> GetWithHostAsync(ApiFactory factory, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await factory.ClientWith(null).SendAsync(request);
    }

    [Fact]
    public async Task A_forged_host_never_reaches_the_document_whose_server_is_relative()
    {
        var response = await GetWithHostAsync(factory, "/api/openapi.json", "evil.example");

        Assert.Equal(200, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil.example", text, StringComparison.OrdinalIgnoreCase);
        var server = Assert.Single(System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("servers").EnumerateArray());
        Assert.Equal("/", server.GetProperty("url").GetString());
    }

    [Fact]
    public async Task The_document_sends_integrators_to_this_server_s_settings_page_for_tokens()
    {
        using var document = System.Text.Json.JsonDocument.Parse(await factory.ClientWith(null).GetStringAsync("/api/openapi.json"));
        var root = document.RootElement;

        Assert.Contains("[Settings → API](/settings/api)", root.GetProperty("info").GetProperty("description").GetString());
        Assert.Contains("[Settings → API](/settings/api)",
            root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearerAuth").GetProperty("description").GetString());
        // The link leads to the page: a visitor without a session is sent to sign in first.
        var page = await factory.ClientWith(null).GetAsync("/settings/api");
        Assert.Equal(302, (int)page.StatusCode);
        Assert.StartsWith(Hoursmith.Api.Infrastructure.Auth.Sessions.SignInPath, page.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_docs_page_never_echoes_a_forged_host_and_tries_requests_on_its_own_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api-docs/");
        request.Headers.Host = "evil.example";
        var response = await factory.ClientWith(null).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil.example", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"servers\":[{\"url\":\"/\"}]", page); // Scalar resolves "/" against the page's own origin
    }

    [Fact]
    public async Task The_document_is_public_openapi_3_1_with_the_bearer_scheme()
    {
        var response = await factory.ClientWith(null).GetAsync("/api/openapi.json");

        Assert.Equal(200, (int)response.StatusCode);
        var document = await response.ReadJsonAsync();
        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString());
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearerAuth");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("ErrorEnvelope", out _));
    }

    [Fact]
    public async Task Every_api_operation_declares_bearer_security_and_its_error_responses()
    {
        var document = await (await factory.ClientWith(null).GetAsync("/api/openapi.json")).ReadJsonAsync();
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{where} has no security");
                var responses = operation.Value.GetProperty("responses");
                // /me needs a token and no permission, so no role is refused it (no 403).
                var statuses = path.Name == "/api/v1/me" ? new[] { "400", "401", "402", "429", "500" } : ["400", "401", "402", "403", "429", "500"];
                Assert.Equal(path.Name != "/api/v1/me", responses.TryGetProperty("403", out _));
                foreach (var status in statuses)
                {
                    Assert.True(responses.TryGetProperty(status, out var described), $"{where} lacks {status}");
                    Assert.Equal("#/components/schemas/ErrorEnvelope",
                        described.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
                }

                if (path.Name.Contains('{', StringComparison.Ordinal))
                {
                    Assert.True(responses.TryGetProperty("404", out _), $"{where} lacks 404");
                }

                if (operation.Value.TryGetProperty("requestBody", out _))
                {
                    Assert.True(responses.TryGetProperty("422", out _) && responses.TryGetProperty("415", out _), $"{where} lacks 415/422");
                }
            }
        }

        Assert.True(operations >= 5, $"only {operations} operations described");
        foreach (var anonymous in new[] { "/health", "/api/openapi.json", "/api-docs" })
        {
            var operation = document.GetProperty("paths").GetProperty(anonymous).GetProperty("get");
            Assert.Equal(0, operation.GetProperty("security").GetArrayLength()); // security: [] — no token
        }
    }

    [Fact]
    public async Task The_interactive_reference_is_served_without_a_token()
    {
        using var client = factory.CreateClient(); // follows the trailing-slash redirect
        var response = await client.GetAsync("/api-docs");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"url\":\"api/openapi.json\"", page); // resolved against the site root by Scalar's loader
        Assert.Contains("<script src=\"scalar.js\"", page); // served locally, no CDN
        Assert.Matches("\"preferredSecurityScheme\":\\[?\"bearerAuth\"", page); // the Bearer scheme is preselected
        Assert.Equal(200, (int)(await client.GetAsync("/api-docs/scalar.js")).StatusCode);
    }

    [Fact]
    public void Every_endpoint_declares_authorization_or_anonymity()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var declared = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0
                || endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>().Count > 0;
            Assert.True(declared, $"{endpoint.RoutePattern.RawText} declares neither authorization nor anonymity");
            if (endpoint.RoutePattern.RawText!.StartsWith("/api/v1", StringComparison.Ordinal))
            {
                Assert.Null(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
            }
        }
    }
}

public class PublicUrlTests(PublicUrlFactory factory) : IClassFixture<PublicUrlFactory>
{
    [Theory]
    [InlineData("evil.example")]
    [InlineData("time.example.com")]
    [InlineData("localhost")]
    public async Task With_a_public_url_the_servers_list_is_exactly_it(string host)
    {
        var response = await OpenApiTests.GetWithHostAsync(factory, "/api/openapi.json", host);

        Assert.Equal(200, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil.example", text, StringComparison.OrdinalIgnoreCase);
        var servers = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("servers");
        Assert.Equal("[{\"url\":\"https://time.example.com\"}]", System.Text.Json.JsonSerializer.Serialize(servers));
        Assert.Contains("[Settings → API](https://time.example.com/settings/api)",
            System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("info").GetProperty("description").GetString());
    }
}
