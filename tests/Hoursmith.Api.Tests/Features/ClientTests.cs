using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

public class ClientTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private async Task<HttpClient> OwnerAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        return workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Create_answers_201_with_every_field_and_the_organizations_currency()
    {
        using var client = await OwnerAsync();

        var response = await client.PostAsJsonAsync("/api/v1/clients", new { name = "Acme", email = "billing@acme.test", defaultRate = 150 });

        Assert.Equal(201, (int)response.StatusCode);
        var data = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal($"/api/v1/clients/{data.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal("Acme", data.GetProperty("name").GetString());
        Assert.Equal("EUR", data.GetProperty("currency").GetString());
        Assert.Equal("150.00", data.GetProperty("defaultRate").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("contactName").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("deletedAt").ValueKind);
        foreach (var field in new[] { "id", "orgId", "phone", "website", "notes", "billingAddress", "billingLine1", "billingLine2", "billingCity",
                     "billingRegion", "billingPostalCode", "billingCountry", "taxNumber", "defaultPaymentTerms", "defaultTaxRate", "requirePoNumber",
                     "billingEmail", "createdAt", "updatedAt" })
        {
            Assert.True(data.TryGetProperty(field, out _), $"missing {field}");
        }
    }

    [Fact]
    public async Task Money_keeps_its_precision_and_travels_as_a_string()
    {
        using var client = await OwnerAsync();

        var data = (await (await client.PostAsJsonAsync("/api/v1/clients", new { name = "Precise", defaultRate = "87.123456" })).ReadJsonAsync()).GetProperty("data");

        Assert.Equal("87.123456", data.GetProperty("defaultRate").GetString());
    }

    [Theory]
    [InlineData("{}", "name", "required")]
    [InlineData("{\"name\":\"   \"}", "name", "required")]
    [InlineData("{\"name\":\"A\",\"email\":\"nope\"}", "email", "invalid")]
    [InlineData("{\"name\":\"A\",\"currency\":\"EURO\"}", "currency", "invalid")]
    [InlineData("{\"name\":\"A\",\"defaultRate\":\"12,5\"}", "defaultRate", "not_a_decimal")]
    [InlineData("{\"name\":\"A\",\"defaultRate\":-1}", "defaultRate", "must_not_be_negative")]
    [InlineData("{\"name\":\"A\",\"defaultTaxRate\":\"20.123456\"}", "defaultTaxRate", "too_many_decimals")]
    [InlineData("{\"name\":\"A\",\"defaultPaymentTerms\":\"NET_45\"}", "defaultPaymentTerms", "unknown_value")]
    [InlineData("{\"name\":\"A\",\"defaultPaymentTerms\":\"30\"}", "defaultPaymentTerms", "unknown_value")]
    public async Task Invalid_fields_are_422_naming_the_field(string json, string field, string reason)
    {
        using var client = await OwnerAsync();

        var error = await (await client.PostAsync("/api/v1/clients", Json(json))).AssertErrorAsync(422, "validation_error");

        Assert.Equal(reason, error.GetProperty("fields").GetProperty(field).GetString());
    }

    [Theory]
    [InlineData("NET_30", "NET_30")]
    [InlineData("net_30", "NET_30")]
    [InlineData("Net 30", "NET_30")]
    [InlineData("Due on receipt", "DUE_ON_RECEIPT")]
    [InlineData("NET_7", "NET_7")]
    [InlineData("net-15", "NET_15")]
    public async Task Payment_terms_are_the_references_strings_and_take_the_apps_labels(string sent, string stored)
    {
        using var client = await OwnerAsync();

        var created = (await (await client.PostAsJsonAsync("/api/v1/clients", new { name = "Terms", defaultPaymentTerms = sent })).ReadJsonAsync()).GetProperty("data");
        var cleared = (await (await client.PatchAsJsonAsync($"/api/v1/clients/{created.GetProperty("id").GetGuid()}", new { defaultPaymentTerms = (string?)null })).ReadJsonAsync()).GetProperty("data");

        Assert.Equal(stored, created.GetProperty("defaultPaymentTerms").GetString());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("defaultPaymentTerms").ValueKind);
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once()
    {
        using var client = await OwnerAsync();

        var error = await (await client.PostAsync("/api/v1/clients", Json("{\"email\":\"x\",\"defaultRate\":\"abc\",\"name\":\"" + new string('n', 201) + "\"}")))
            .AssertErrorAsync(422, "validation_error");

        var fields = error.GetProperty("fields");
        Assert.Equal("too_long", fields.GetProperty("name").GetString());
        Assert.Equal("invalid", fields.GetProperty("email").GetString());
        Assert.Equal("not_a_decimal", fields.GetProperty("defaultRate").GetString());
    }

    [Theory]
    [InlineData("{\"name\":42}")]
    [InlineData("{\"name\":\"A\",\"requirePoNumber\":\"yes\"}")]
    [InlineData("{\"name\":\"A\",\"defaultRate\":true}")]
    [InlineData("{\"name\":\"A\",\"defaultPaymentTerms\":30}")]
    public async Task Wrong_json_types_are_400(string json)
    {
        using var client = await OwnerAsync();
        await (await client.PostAsync("/api/v1/clients", Json(json))).AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task Patch_changes_only_what_was_sent_null_clears_and_unknown_fields_are_ignored()
    {
        using var client = await OwnerAsync();
        var created = (await (await client.PostAsJsonAsync("/api/v1/clients", new { name = "Acme", phone = "123", notes = "keep" })).ReadJsonAsync()).GetProperty("data");
        var id = created.GetProperty("id").GetGuid();

        var patched = await client.PatchAsync($"/api/v1/clients/{id}", Json("{\"phone\":null,\"contactName\":\"Ada\",\"favouriteColour\":\"teal\",\"website\":\"\"}"));

        Assert.Equal(200, (int)patched.StatusCode);
        var data = (await patched.ReadJsonAsync()).GetProperty("data");
        Assert.Equal("Acme", data.GetProperty("name").GetString());
        Assert.Equal("keep", data.GetProperty("notes").GetString());
        Assert.Equal("Ada", data.GetProperty("contactName").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("phone").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("website").ValueKind);
        Assert.False(data.TryGetProperty("favouriteColour", out _));
    }

    [Fact]
    public async Task A_failed_patch_changes_nothing()
    {
        using var client = await OwnerAsync();
        var id = (await (await client.PostAsJsonAsync("/api/v1/clients", new { name = "Acme" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();

        await (await client.PatchAsync($"/api/v1/clients/{id}", Json("{\"name\":\"New\",\"email\":\"bad\"}"))).AssertErrorAsync(422, "validation_error");

        Assert.Equal("Acme", (await (await client.GetAsync($"/api/v1/clients/{id}")).ReadJsonAsync()).GetProperty("data").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Delete_is_soft_and_refused_while_active_projects_or_invoices_exist()
    {
        using var client = await OwnerAsync();
        var id = (await (await client.PostAsJsonAsync("/api/v1/clients", new { name = "Acme" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
        var project = (await (await client.PostAsJsonAsync("/api/v1/projects", new { clientId = id, name = "Site" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();

        await (await client.DeleteAsync($"/api/v1/clients/{id}")).AssertErrorAsync(409, "conflict");

        Assert.Equal(200, (int)(await client.PostAsync($"/api/v1/projects/{project}/archive", null)).StatusCode);
        Assert.Equal(204, (int)(await client.DeleteAsync($"/api/v1/clients/{id}")).StatusCode);
        await (await client.GetAsync($"/api/v1/clients/{id}")).AssertErrorAsync(404, "not_found");
        var deletedAt = await factory.WithDbAsync(db => db.Clients.IgnoreQueryFilters().Where(c => c.Id == id).Select(c => c.DeletedAt).SingleAsync());
        Assert.NotNull(deletedAt);
    }

    [Fact]
    public async Task Clients_of_another_workspace_are_404()
    {
        using var mine = await OwnerAsync();
        using var theirs = await OwnerAsync();
        var id = (await (await theirs.PostAsJsonAsync("/api/v1/clients", new { name = "Theirs" })).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();

        await (await mine.GetAsync($"/api/v1/clients/{id}")).AssertErrorAsync(404, "not_found");
        await (await mine.PatchAsync($"/api/v1/clients/{id}", Json("{\"name\":\"Mine now\"}"))).AssertErrorAsync(404, "not_found");
        await (await mine.DeleteAsync($"/api/v1/clients/{id}")).AssertErrorAsync(404, "not_found");
        Assert.DoesNotContain(id.ToString(), await (await mine.GetAsync("/api/v1/clients")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Members_have_no_access_to_clients_and_managers_have_full_access()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var (_, member) = await workspace.TokenForRoleAsync(Role.Member);
        var (_, manager) = await workspace.TokenForRoleAsync(Role.Manager);

        await (await workspace.Client(member).GetAsync("/api/v1/clients")).AssertErrorAsync(403, "forbidden_scope");
        await (await workspace.Client(member).PostAsJsonAsync("/api/v1/clients", new { name = "X" })).AssertErrorAsync(403, "forbidden_scope");
        Assert.Equal(201, (int)(await workspace.Client(manager).PostAsJsonAsync("/api/v1/clients", new { name = "X" })).StatusCode);
    }
}
