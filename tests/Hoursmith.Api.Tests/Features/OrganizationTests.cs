using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

public class OrganizationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData(Role.Owner)]
    [InlineData(Role.Admin)]
    [InlineData(Role.Manager)]
    [InlineData(Role.Member)]
    public async Task Every_role_reads_its_own_organization(Role role)
    {
        var workspace = await factory.CreateWorkspaceAsync(Plan.Agency, name: "Northwind Studio");
        var (_, token) = await workspace.TokenForRoleAsync(role);

        var response = await workspace.Client(token).GetAsync("/api/v1/organization");

        Assert.Equal(200, (int)response.StatusCode);
        var data = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(workspace.Id, data.GetProperty("id").GetGuid());
        Assert.Equal("Northwind Studio", data.GetProperty("name").GetString());
        Assert.Equal("agency", data.GetProperty("plan").GetString());
        Assert.Equal("EUR", data.GetProperty("defaultCurrency").GetString());
        Assert.Equal("INV-", data.GetProperty("invoicePrefix").GetString());
        foreach (var field in new[] { "legalName", "taxId", "businessEmail", "businessWebsite" })
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty(field).ValueKind);
        }

        Assert.True(data.GetProperty("createdAt").TryGetDateTime(out _));
    }

    [Fact]
    public async Task Business_details_are_shown_and_another_workspace_is_never_reached()
    {
        var mine = await factory.CreateWorkspaceAsync(Plan.Studio);
        var theirs = await factory.CreateWorkspaceAsync(Plan.Studio);
        await factory.WithDbAsync(db => db.Workspaces.Where(w => w.Id == mine.Id).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.LegalName, "Northwind Studio Ltd")
            .SetProperty(w => w.TaxId, "GB123456789")
            .SetProperty(w => w.BusinessEmail, "hello@northwind.test")
            .SetProperty(w => w.BusinessWebsite, "https://northwind.test")
            .SetProperty(w => w.InvoicePrefix, "NW-")));
        using var client = mine.Client((await mine.MintAsync(mine.OwnerId)).Token);

        var response = await client.GetAsync("/api/v1/organization");

        var data = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal("studio", data.GetProperty("plan").GetString());
        Assert.Equal("Northwind Studio Ltd", data.GetProperty("legalName").GetString());
        Assert.Equal("GB123456789", data.GetProperty("taxId").GetString());
        Assert.Equal("hello@northwind.test", data.GetProperty("businessEmail").GetString());
        Assert.Equal("https://northwind.test", data.GetProperty("businessWebsite").GetString());
        Assert.Equal("NW-", data.GetProperty("invoicePrefix").GetString());
        Assert.DoesNotContain(theirs.Id.ToString(), await response.Content.ReadAsStringAsync());
        // There is no route that names an organization.
        await (await client.GetAsync($"/api/v1/organization/{theirs.Id}")).AssertErrorAsync(404, "not_found");
    }
}
