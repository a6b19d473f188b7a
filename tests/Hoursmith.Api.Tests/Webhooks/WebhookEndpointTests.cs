using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Webhooks;

/// <summary>The management API of webhooks.md ("Our decisions"): plan, roles, secrets shown once, validation, lists.</summary>
public sealed class WebhookEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Url = "http://127.0.0.1:9/hooks";

    private async Task<(TestWorkspace Workspace, HttpClient Owner)> AgencyOwnerAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        return (workspace, workspace.Client(token));
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, object? body = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/webhook-endpoints", body ?? new { url = Url, events = new[] { "invoice.paid", "task.created" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data");
    }

    [Fact]
    public async Task The_secret_is_shown_once_at_creation_and_only_its_prefix_afterwards()
    {
        var (_, owner) = await AgencyOwnerAsync();
        var created = await CreateAsync(owner, new { url = Url, description = "Zapier", events = new[] { "task.created", "invoice.paid", "task.created" } });
        var secret = created.GetProperty("secret").GetString()!;
        Assert.Matches("^wsk_[0-9A-Za-z]{32}$", secret);
        Assert.Equal(secret[..12], created.GetProperty("secretPrefix").GetString());
        Assert.Equal(["invoice.paid", "task.created"], created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.True(created.GetProperty("enabled").GetBoolean());

        var id = created.GetProperty("id").GetString();
        var read = await owner.GetStringAsync($"/api/v1/webhook-endpoints/{id}");
        var listed = await owner.GetStringAsync("/api/v1/webhook-endpoints");
        foreach (var text in new[] { read, listed })
        {
            Assert.DoesNotContain(secret, text);
            Assert.Contains(secret[..12], text);
            Assert.DoesNotContain("\"secret\"", text);
        }

        // At rest it is encrypted: neither the secret nor its random part is in the row.
        var stored = await factory.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == Guid.Parse(id!)));
        Assert.False(stored.SecretCiphertext.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret[4..])) >= 0);
        Assert.True(stored.SecretCiphertext.Length > secret.Length);
    }

    [Fact]
    public async Task Rotation_shows_a_new_secret_once_and_the_old_one_is_gone()
    {
        var (_, owner) = await AgencyOwnerAsync();
        var created = await CreateAsync(owner);
        var id = created.GetProperty("id").GetString();
        var rotated = await owner.PostAsync($"/api/v1/webhook-endpoints/{id}/rotate-secret", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var data = (await rotated.ReadJsonAsync()).GetProperty("data");
        var secret = data.GetProperty("secret").GetString()!;
        Assert.NotEqual(created.GetProperty("secret").GetString(), secret);
        Assert.Equal(secret[..12], data.GetProperty("secretPrefix").GetString());
        var read = (await (await owner.GetAsync($"/api/v1/webhook-endpoints/{id}")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal(secret[..12], read.GetProperty("secretPrefix").GetString());
    }

    [Fact]
    public async Task Patch_changes_what_is_sent_and_delete_hides_the_endpoint()
    {
        var (_, owner) = await AgencyOwnerAsync();
        var id = (await CreateAsync(owner)).GetProperty("id").GetString();
        var patched = await owner.PatchAsJsonAsync($"/api/v1/webhook-endpoints/{id}", new { enabled = false, events = new[] { "client.created" } });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var data = (await patched.ReadJsonAsync()).GetProperty("data");
        Assert.False(data.GetProperty("enabled").GetBoolean());
        Assert.Equal(["client.created"], data.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Url, data.GetProperty("url").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/webhook-endpoints/{id}")).StatusCode);
        await (await owner.GetAsync($"/api/v1/webhook-endpoints/{id}")).AssertErrorAsync(404, "not_found");
        await (await owner.PostAsync($"/api/v1/webhook-endpoints/{id}/test", null)).AssertErrorAsync(404, "not_found");
        var listed = await owner.GetStringAsync("/api/v1/webhook-endpoints");
        Assert.DoesNotContain(id!, listed);
        Assert.Contains(id!, await owner.GetStringAsync("/api/v1/webhook-endpoints?includeDeleted=true"));
    }

    [Theory]
    [InlineData(Plan.Free)]
    [InlineData(Plan.Studio)]
    public async Task Workspaces_below_Agency_get_402_naming_the_feature(Plan plan)
    {
        var workspace = await factory.CreateWorkspaceAsync(plan);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        using var owner = workspace.Client(token);
        foreach (var response in new[]
        {
            await owner.GetAsync("/api/v1/webhook-endpoints"),
            await owner.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = Url, events = new[] { "invoice.paid" } }),
            await owner.PostAsync($"/api/v1/webhook-deliveries/{Guid.NewGuid()}/replay", null),
        })
        {
            var error = await response.AssertErrorAsync(402, "forbidden_plan");
            Assert.Equal("agency", error.GetProperty("requiredPlan").GetString());
            Assert.Equal("outboundWebhooks", error.GetProperty("feature").GetString());
        }
    }

    [Fact]
    public async Task A_lapsed_Agency_plan_is_402_for_api_access()
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Admin);
        await factory.WithAdminAsync(admin => admin.SetPlanAsync(workspace.Id, Plan.Agency, PlanStatus.Lapsed));
        var error = await (await workspace.Client(token).GetAsync("/api/v1/webhook-endpoints")).AssertErrorAsync(402, "forbidden_plan");
        Assert.Equal("apiAccess", error.GetProperty("feature").GetString());
    }

    [Theory]
    [InlineData(Role.Manager)]
    [InlineData(Role.Member)]
    public async Task Managers_and_Members_get_403(Role role)
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(role);
        using var client = workspace.Client(token);
        await (await client.GetAsync("/api/v1/webhook-endpoints")).AssertErrorAsync(403, "forbidden_scope");
        await (await client.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = Url, events = new[] { "invoice.paid" } })).AssertErrorAsync(403, "forbidden_scope");
        Assert.DoesNotContain("webhooks:read", PermissionTable.ScopesOf(role));
    }

    [Fact]
    public async Task Admins_manage_endpoints_and_me_lists_the_scopes()
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Admin);
        using var admin = workspace.Client(token);
        await CreateAsync(admin);
        var scopes = (await (await admin.GetAsync("/api/v1/me")).ReadJsonAsync()).GetProperty("data").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("webhooks:read", scopes);
        Assert.Contains("webhooks:write", scopes);
    }

    [Fact]
    public async Task Endpoints_of_another_workspace_are_404()
    {
        var (_, owner) = await AgencyOwnerAsync();
        var (_, stranger) = await AgencyOwnerAsync();
        var id = (await CreateAsync(owner)).GetProperty("id").GetString();
        await (await stranger.GetAsync($"/api/v1/webhook-endpoints/{id}")).AssertErrorAsync(404, "not_found");
        await (await stranger.PatchAsJsonAsync($"/api/v1/webhook-endpoints/{id}", new { enabled = false })).AssertErrorAsync(404, "not_found");
        await (await stranger.PostAsync($"/api/v1/webhook-endpoints/{id}/rotate-secret", null)).AssertErrorAsync(404, "not_found");
        await (await stranger.GetAsync($"/api/v1/webhook-endpoints/{id}/deliveries")).AssertErrorAsync(404, "not_found");
        await (await stranger.DeleteAsync($"/api/v1/webhook-endpoints/{id}")).AssertErrorAsync(404, "not_found");
    }

    [Theory]
    [InlineData("""{"events":["invoice.paid"]}""", "url", "required")]
    [InlineData("""{"url":"http://127.0.0.1:9/"}""", "events", "required")]
    [InlineData("""{"url":"http://127.0.0.1:9/","events":[]}""", "events", "required")]
    [InlineData("""{"url":"http://127.0.0.1:9/","events":["invoice.*"]}""", "events", "invalid")]
    [InlineData("""{"url":"http://127.0.0.1:9/","events":["invoice.paid",null]}""", "events", "invalid")]
    [InlineData("""{"url":"not a url","events":["invoice.paid"]}""", "url", "invalid")]
    [InlineData("""{"url":"ftp://example.com/","events":["invoice.paid"]}""", "url", "invalid")]
    [InlineData("""{"url":"https://user:pw@example.com/","events":["invoice.paid"]}""", "url", "invalid")]
    [InlineData("""{"url":"http://example.com/hooks","events":["invoice.paid"]}""", "url", "https_required")]
    [InlineData("""{"url":"http://127.0.0.1:9/","events":["invoice.paid"],"enabled":null}""", "enabled", "invalid")]
    public async Task Invalid_endpoints_are_422_naming_the_field(string body, string field, string reason)
    {
        var (workspace, owner) = await AgencyOwnerAsync();
        var response = await owner.PostAsync("/api/v1/webhook-endpoints", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var error = await response.AssertErrorAsync(422, "validation_error");
        Assert.Equal(reason, error.GetProperty("fields").GetProperty(field).GetString());
        Assert.Equal(0, await factory.WithDbAsync(db => db.WebhookEndpoints.IgnoreQueryFilters().CountAsync(e => e.WorkspaceId == workspace.Id)));
    }

    [Fact]
    public async Task A_create_retried_with_its_key_is_replayed_not_repeated()
    {
        var (workspace, owner) = await AgencyOwnerAsync();
        var key = Guid.NewGuid().ToString();
        Task<HttpResponseMessage> Send() => owner.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhook-endpoints")
        {
            Content = JsonContent.Create(new { url = Url, events = new[] { "invoice.paid" } }),
            Headers = { { "Idempotency-Key", key } },
        });
        var first = await Send();
        var second = await Send();
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await factory.WithDbAsync(db => db.WebhookEndpoints.CountAsync(e => e.WorkspaceId == workspace.Id)));
    }

    [Fact]
    public async Task Lists_are_cursor_paged_in_the_common_envelope()
    {
        var (_, owner) = await AgencyOwnerAsync();
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(owner);
        }

        var page = await (await owner.GetAsync("/api/v1/webhook-endpoints?limit=2")).ReadJsonAsync();
        Assert.Equal(2, page.GetProperty("data").GetArrayLength());
        var cursor = page.GetProperty("pagination").GetProperty("nextCursor").GetString();
        var next = await (await owner.GetAsync($"/api/v1/webhook-endpoints?limit=2&cursor={Uri.EscapeDataString(cursor!)}")).ReadJsonAsync();
        Assert.Equal(1, next.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, next.GetProperty("pagination").GetProperty("nextCursor").ValueKind);
        await (await owner.GetAsync("/api/v1/webhook-endpoints?limit=0")).AssertErrorAsync(400, "bad_request");
    }
}

/// <summary>Production's URL rules: https only, and no host that resolves to this machine or a private network.</summary>
public sealed class StrictWebhookUrlFactory() : ApiFactory(new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "false", ["Webhooks:WorkerEnabled"] = "false" });

public sealed class WebhookUrlRuleTests(StrictWebhookUrlFactory factory) : IClassFixture<StrictWebhookUrlFactory>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hooks", "https_required")]
    [InlineData("http://localhost/hooks", "https_required")]
    [InlineData("https://127.0.0.1/hooks", "forbidden_address")]
    [InlineData("https://localhost/hooks", "forbidden_address")]
    [InlineData("https://10.1.2.3/hooks", "forbidden_address")]
    [InlineData("https://192.168.0.10/hooks", "forbidden_address")]
    [InlineData("https://172.20.0.1/hooks", "forbidden_address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "forbidden_address")]
    [InlineData("https://[::1]/hooks", "forbidden_address")]
    [InlineData("https://[fd00:ec2::254]/hooks", "forbidden_address")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks", "forbidden_address")]
    [InlineData("https://0.0.0.0/hooks", "forbidden_address")]
    [InlineData("https://no-such-host.invalid/hooks", "unresolvable")]
    public async Task Private_and_plain_http_targets_are_refused_at_creation(string url, string reason)
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        var response = await workspace.Client(token).PostAsJsonAsync("/api/v1/webhook-endpoints", new { url, events = new[] { "invoice.paid" } });
        var error = await response.AssertErrorAsync(422, "validation_error");
        Assert.Equal(reason, error.GetProperty("fields").GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_public_https_address_is_accepted()
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        var response = await workspace.Client(token).PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = "https://93.184.215.14/hooks", events = new[] { "invoice.paid" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_patch_to_a_private_address_is_refused_too()
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency);
        var (_, token) = await workspace.TokenForRoleAsync(Role.Owner);
        using var owner = workspace.Client(token);
        var id = (await (await owner.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = "https://93.184.215.14/hooks", events = new[] { "invoice.paid" } })).ReadJsonAsync())
            .GetProperty("data").GetProperty("id").GetString();
        var error = await (await owner.PatchAsJsonAsync($"/api/v1/webhook-endpoints/{id}", new { url = "https://10.0.0.5/" })).AssertErrorAsync(422, "validation_error");
        Assert.Equal("forbidden_address", error.GetProperty("fields").GetProperty("url").GetString());
    }
}
