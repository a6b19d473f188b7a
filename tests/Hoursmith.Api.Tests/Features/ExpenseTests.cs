using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

public class ExpenseTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A workspace (defaultCurrency EUR) whose Owner has a client billed in USD.</summary>
    private async Task<(TestWorkspace Workspace, HttpClient Owner, Guid ClientId)> SetupAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var owner = workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);
        return (workspace, owner, await CreateClientAsync(owner, "Acme", "USD"));
    }

    private static async Task<Guid> CreateClientAsync(HttpClient owner, string name, string? currency = null)
    {
        var response = await owner.PostAsJsonAsync("/api/v1/clients", new { name, currency });
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
    }

    private static async Task<Guid> CreateProjectAsync(HttpClient owner, Guid clientId, string name = "Website")
    {
        var response = await owner.PostAsJsonAsync("/api/v1/projects", new { clientId, name });
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/expenses", body);
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data");
    }

    [Fact]
    public async Task Create_answers_201_with_every_field_and_snapshots_the_clients_currency()
    {
        var (workspace, owner, clientId) = await SetupAsync();

        var response = await owner.PostAsJsonAsync("/api/v1/expenses", new { clientId, description = "Train to workshop", amount = "126.40", expenseDate = "2026-11-02" });

        Assert.Equal(201, (int)response.StatusCode);
        var data = (await response.ReadJsonAsync()).GetProperty("data");
        var id = data.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/expenses/{id}", response.Headers.Location?.ToString());
        Assert.Equal(workspace.Id, data.GetProperty("orgId").GetGuid());
        Assert.Equal(clientId, data.GetProperty("clientId").GetGuid());
        Assert.Equal("USD", data.GetProperty("currency").GetString()); // the client's, not the organization's EUR
        Assert.Equal("126.40", data.GetProperty("amount").GetString());
        Assert.Equal("OTHER", data.GetProperty("category").GetString());
        Assert.True(data.GetProperty("billable").GetBoolean());
        Assert.Equal("2026-11-02", data.GetProperty("expenseDate").GetString());
        foreach (var field in new[] { "projectId", "invoiceId", "customCategory", "deletedAt" })
        {
            Assert.Equal(JsonValueKind.Null, data.GetProperty(field).ValueKind);
        }

        foreach (var field in new[] { "description", "createdAt", "updatedAt" })
        {
            Assert.True(data.TryGetProperty(field, out _), $"missing {field}");
        }

        // Later changes to the client's currency do not touch the snapshot.
        Assert.Equal(200, (int)(await owner.PatchAsJsonAsync($"/api/v1/clients/{clientId}", new { currency = "GBP" })).StatusCode);
        var read = (await (await owner.GetAsync($"/api/v1/expenses/{id}")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal("USD", read.GetProperty("currency").GetString());
        var listed = (await (await owner.GetAsync("/api/v1/expenses")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Sending_the_currency_or_the_invoice_is_422_read_only_on_create_and_patch()
    {
        var (_, owner, clientId) = await SetupAsync();

        var refused = await owner.PostAsJsonAsync("/api/v1/expenses", new { clientId, description = "Hotel", amount = 90, expenseDate = "2026-11-02", currency = "USD" });
        Assert.Equal("read_only", (await refused.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("currency").GetString());

        var id = (await CreateAsync(owner, new { clientId, description = "Hotel", amount = 90, expenseDate = "2026-11-02" })).GetProperty("id").GetGuid();
        var patched = await owner.PatchAsync($"/api/v1/expenses/{id}", Json($"{{\"currency\":\"EUR\",\"invoiceId\":\"{Guid.NewGuid()}\"}}"));
        var fields = (await patched.AssertErrorAsync(422, "validation_error")).GetProperty("fields");
        Assert.Equal("read_only", fields.GetProperty("currency").GetString());
        Assert.Equal("read_only", fields.GetProperty("invoiceId").GetString());
        Assert.Equal("USD", (await (await owner.GetAsync($"/api/v1/expenses/{id}")).ReadJsonAsync()).GetProperty("data").GetProperty("currency").GetString());
    }

    [Theory]
    [InlineData("{\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "clientId", "required")]
    [InlineData("{\"clientId\":\"nope\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "clientId", "not_a_uuid")]
    [InlineData("{\"clientId\":\"00000000-0000-4000-8000-000000000000\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "clientId", "not_found")]
    [InlineData("{\"clientId\":\"$client\",\"projectId\":\"00000000-0000-4000-8000-000000000000\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "projectId", "not_found")]
    [InlineData("{\"clientId\":\"$client\",\"projectId\":\"$otherProject\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "projectId", "not_of_client")]
    [InlineData("{\"clientId\":\"$client\",\"category\":\"FOOD\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "category", "unknown_value")]
    [InlineData("{\"clientId\":\"$client\",\"category\":null,\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "category", "required")]
    [InlineData("{\"clientId\":\"$client\",\"category\":\"TRAVEL\",\"customCategory\":\"Trains\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "customCategory", "only_for_other")]
    [InlineData("{\"clientId\":\"$client\",\"customCategory\":\"$101\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "customCategory", "too_long")]
    [InlineData("{\"clientId\":\"$client\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "description", "required")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"  \",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "description", "required")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"$501\",\"amount\":1,\"expenseDate\":\"2026-11-02\"}", "description", "too_long")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"expenseDate\":\"2026-11-02\"}", "amount", "required")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":\"\",\"expenseDate\":\"2026-11-02\"}", "amount", "required")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":0,\"expenseDate\":\"2026-11-02\"}", "amount", "must_be_positive")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":\"-5.00\",\"expenseDate\":\"2026-11-02\"}", "amount", "must_be_positive")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":\"12.345\",\"expenseDate\":\"2026-11-02\"}", "amount", "too_many_decimals")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":12.345,\"expenseDate\":\"2026-11-02\"}", "amount", "too_many_decimals")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":\"12,5\",\"expenseDate\":\"2026-11-02\"}", "amount", "not_a_decimal")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":\"ten\",\"expenseDate\":\"2026-11-02\"}", "amount", "not_a_decimal")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":1}", "expenseDate", "required")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"02/11/2026\"}", "expenseDate", "invalid_date")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-02-30\"}", "expenseDate", "invalid_date")]
    public async Task Invalid_expenses_are_422_naming_the_field(string json, string field, string reason)
    {
        var (_, owner, clientId) = await SetupAsync();
        var otherClient = await CreateClientAsync(owner, "Other");
        var otherProject = await CreateProjectAsync(owner, otherClient);
        var body = json.Replace("$client", clientId.ToString(), StringComparison.Ordinal)
            .Replace("$otherProject", otherProject.ToString(), StringComparison.Ordinal)
            .Replace("$101", new string('c', 101), StringComparison.Ordinal)
            .Replace("$501", new string('d', 501), StringComparison.Ordinal);

        var response = await owner.PostAsync("/api/v1/expenses", Json(body));

        Assert.Equal(reason, (await response.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty(field).GetString());
        Assert.Equal(0, await factory.WithDbAsync(db => db.Expenses.IgnoreQueryFilters().CountAsync(e => e.ClientId == clientId)));
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once()
    {
        var (_, owner, _) = await SetupAsync();

        var error = await (await owner.PostAsync("/api/v1/expenses", Json("{\"amount\":\"0.001\",\"category\":\"x\"}"))).AssertErrorAsync(422, "validation_error");

        var fields = error.GetProperty("fields");
        Assert.Equal("required", fields.GetProperty("clientId").GetString());
        Assert.Equal("required", fields.GetProperty("description").GetString());
        Assert.Equal("required", fields.GetProperty("expenseDate").GetString());
        Assert.Equal("too_many_decimals", fields.GetProperty("amount").GetString());
        Assert.Equal("unknown_value", fields.GetProperty("category").GetString());
    }

    [Theory]
    [InlineData("\"0.10\"", "0.10")]
    [InlineData("0.1", "0.10")]
    [InlineData("42", "42.00")]
    [InlineData("\"1250.5\"", "1250.50")]
    [InlineData("\"12.340\"", "12.34")]
    [InlineData("99999999.99", "99999999.99")]
    public async Task Amounts_take_numbers_or_decimal_strings_and_come_back_as_exact_strings(string amount, string expected)
    {
        var (_, owner, clientId) = await SetupAsync();

        var created = await owner.PostAsync("/api/v1/expenses", Json($"{{\"clientId\":\"{clientId}\",\"description\":\"D\",\"amount\":{amount},\"expenseDate\":\"2026-11-02\"}}"));

        Assert.Equal(201, (int)created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
        var read = (await (await owner.GetAsync($"/api/v1/expenses/{id}")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal(expected, read.GetProperty("amount").GetString());
    }

    [Theory]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":true,\"expenseDate\":\"2026-11-02\"}")]
    [InlineData("{\"clientId\":\"$client\",\"description\":\"D\",\"amount\":1,\"expenseDate\":\"2026-11-02\",\"billable\":\"yes\"}")]
    [InlineData("{\"clientId\":\"$client\",\"description\":42,\"amount\":1,\"expenseDate\":\"2026-11-02\"}")]
    public async Task Wrong_json_types_are_400(string json)
    {
        var (_, owner, clientId) = await SetupAsync();
        await (await owner.PostAsync("/api/v1/expenses", Json(json.Replace("$client", clientId.ToString(), StringComparison.Ordinal)))).AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task Category_and_custom_category_and_project_are_kept()
    {
        var (_, owner, clientId) = await SetupAsync();
        var projectId = await CreateProjectAsync(owner, clientId);

        var other = await CreateAsync(owner, new { clientId, projectId, category = "other", customCategory = "Test devices", description = "Phone", amount = "189.99", billable = false, expenseDate = "2026-11-02" });
        var travel = await CreateAsync(owner, new { clientId, category = "TRAVEL", description = "Train", amount = 12, expenseDate = "2026-11-02" });

        Assert.Equal("OTHER", other.GetProperty("category").GetString());
        Assert.Equal("Test devices", other.GetProperty("customCategory").GetString());
        Assert.Equal(projectId, other.GetProperty("projectId").GetGuid());
        Assert.False(other.GetProperty("billable").GetBoolean());
        Assert.Equal("TRAVEL", travel.GetProperty("category").GetString());
    }

    [Fact]
    public async Task Patch_changes_only_what_was_sent_and_rules_apply_to_the_merged_result()
    {
        var (_, owner, clientId) = await SetupAsync();
        var projectId = await CreateProjectAsync(owner, clientId);
        var created = await CreateAsync(owner, new { clientId, projectId, customCategory = "Props", description = "Props for the shoot", amount = "50.00", expenseDate = "2026-11-02" });
        var id = created.GetProperty("id").GetGuid();

        // Leaving OTHER while the custom category stays is refused; clearing it in the same request is fine.
        var refused = await owner.PatchAsync($"/api/v1/expenses/{id}", Json("{\"category\":\"EQUIPMENT\"}"));
        Assert.Equal("only_for_other", (await refused.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("customCategory").GetString());

        var patched = await owner.PatchAsync($"/api/v1/expenses/{id}", Json("{\"category\":\"EQUIPMENT\",\"customCategory\":null,\"amount\":\"0.10\",\"billable\":false,\"unknown\":1}"));

        Assert.Equal(200, (int)patched.StatusCode);
        var data = (await patched.ReadJsonAsync()).GetProperty("data");
        Assert.Equal("EQUIPMENT", data.GetProperty("category").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("customCategory").ValueKind);
        Assert.Equal("0.10", data.GetProperty("amount").GetString());
        Assert.False(data.GetProperty("billable").GetBoolean());
        Assert.Equal("Props for the shoot", data.GetProperty("description").GetString());
        Assert.Equal(projectId, data.GetProperty("projectId").GetGuid());
        Assert.Equal("2026-11-02", data.GetProperty("expenseDate").GetString());
        Assert.Equal("USD", data.GetProperty("currency").GetString());
        Assert.Equal(created.GetProperty("createdAt").GetString(), data.GetProperty("createdAt").GetString());

        // null clears the project; required fields cannot be cleared.
        var cleared = (await (await owner.PatchAsync($"/api/v1/expenses/{id}", Json("{\"projectId\":null}"))).ReadJsonAsync()).GetProperty("data");
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("projectId").ValueKind);
        var required = await (await owner.PatchAsync($"/api/v1/expenses/{id}", Json("{\"description\":null,\"amount\":null,\"expenseDate\":\"\"}"))).AssertErrorAsync(422, "validation_error");
        Assert.Equal(3, required.GetProperty("fields").EnumerateObject().Count(f => f.Value.GetString() == "required"));
    }

    [Fact]
    public async Task Moving_to_another_client_keeps_the_project_consistent_and_the_currency()
    {
        var (_, owner, clientId) = await SetupAsync();
        var projectId = await CreateProjectAsync(owner, clientId);
        var sameCurrency = await CreateClientAsync(owner, "Globex", "USD");
        var otherCurrency = await CreateClientAsync(owner, "Initech"); // the organization's EUR
        var newProject = await CreateProjectAsync(owner, sameCurrency, "App");
        var id = (await CreateAsync(owner, new { clientId, projectId, description = "Taxi", amount = "23.50", expenseDate = "2026-11-02" })).GetProperty("id").GetGuid();

        // The kept project belongs to the old client.
        var stale = await owner.PatchAsJsonAsync($"/api/v1/expenses/{id}", new { clientId = sameCurrency });
        Assert.Equal("not_of_client", (await stale.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("projectId").GetString());

        // A project of another client, with the client unchanged.
        var foreignProject = await owner.PatchAsJsonAsync($"/api/v1/expenses/{id}", new { projectId = newProject });
        Assert.Equal("not_of_client", (await foreignProject.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("projectId").GetString());

        // The amount is in USD: it cannot move to a EUR client.
        var mismatch = await owner.PatchAsJsonAsync($"/api/v1/expenses/{id}", new { clientId = otherCurrency, projectId = (Guid?)null });
        Assert.Equal("currency_mismatch", (await mismatch.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("clientId").GetString());

        var moved = await owner.PatchAsJsonAsync($"/api/v1/expenses/{id}", new { clientId = sameCurrency, projectId = newProject });
        Assert.Equal(200, (int)moved.StatusCode);
        var data = (await moved.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(sameCurrency, data.GetProperty("clientId").GetGuid());
        Assert.Equal(newProject, data.GetProperty("projectId").GetGuid());
        Assert.Equal("USD", data.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task A_failed_patch_changes_nothing()
    {
        var (_, owner, clientId) = await SetupAsync();
        var id = (await CreateAsync(owner, new { clientId, description = "Lunch", amount = "18.00", expenseDate = "2026-11-02" })).GetProperty("id").GetGuid();

        await (await owner.PatchAsync($"/api/v1/expenses/{id}", Json("{\"description\":\"Dinner\",\"amount\":\"-1\"}"))).AssertErrorAsync(422, "validation_error");

        var data = (await (await owner.GetAsync($"/api/v1/expenses/{id}")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal("Lunch", data.GetProperty("description").GetString());
        Assert.Equal("18.00", data.GetProperty("amount").GetString());
    }

    [Fact]
    public async Task Delete_is_soft_and_the_expense_disappears()
    {
        var (_, owner, clientId) = await SetupAsync();
        var id = (await CreateAsync(owner, new { clientId, description = "Lunch", amount = 18, expenseDate = "2026-11-02" })).GetProperty("id").GetGuid();

        Assert.Equal(204, (int)(await owner.DeleteAsync($"/api/v1/expenses/{id}")).StatusCode);

        await (await owner.GetAsync($"/api/v1/expenses/{id}")).AssertErrorAsync(404, "not_found");
        await (await owner.PatchAsJsonAsync($"/api/v1/expenses/{id}", new { description = "Back" })).AssertErrorAsync(404, "not_found");
        await (await owner.DeleteAsync($"/api/v1/expenses/{id}")).AssertErrorAsync(404, "not_found");
        Assert.Empty((await (await owner.GetAsync("/api/v1/expenses")).ReadJsonAsync()).GetProperty("data").EnumerateArray());
        var deletedAt = await factory.WithDbAsync(db => db.Expenses.IgnoreQueryFilters().Where(e => e.Id == id).Select(e => e.DeletedAt).SingleAsync());
        Assert.NotNull(deletedAt);
    }

    [Fact]
    public async Task A_billed_expense_is_locked_for_patch_and_delete_even_for_the_owner()
    {
        var (workspace, owner, clientId) = await SetupAsync();
        var id = (await CreateAsync(owner, new { clientId, description = "Licence", amount = "79.00", expenseDate = "2026-11-02" })).GetProperty("id").GetGuid();
        var invoiceId = await factory.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var invoice = new Invoice
            {
                WorkspaceId = workspace.Id,
                ClientId = clientId,
                Number = $"INV-{Guid.NewGuid():N}"[..12],
                Status = InvoiceStatus.Sent,
                Currency = "USD",
                Subtotal = 79m,
                Total = 79m,
                IssueDate = DateOnly.FromDateTime(now),
                SentAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Invoices.Add(invoice);
            await db.SaveChangesAsync();
            await db.Expenses.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.InvoiceId, invoice.Id));
            return invoice.Id;
        });

        await (await owner.PatchAsJsonAsync($"/api/v1/expenses/{id}", new { description = "Changed" })).AssertErrorAsync(409, "conflict");
        await (await owner.DeleteAsync($"/api/v1/expenses/{id}")).AssertErrorAsync(409, "conflict");

        var data = (await (await owner.GetAsync($"/api/v1/expenses/{id}")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal(invoiceId, data.GetProperty("invoiceId").GetGuid());
        Assert.Equal("Licence", data.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Expenses_and_clients_of_another_workspace_are_404()
    {
        var (_, mine, myClient) = await SetupAsync();
        var (_, theirs, theirClient) = await SetupAsync();
        var theirProject = await CreateProjectAsync(theirs, theirClient);
        var id = (await CreateAsync(theirs, new { clientId = theirClient, description = "Theirs", amount = 5, expenseDate = "2026-11-02" })).GetProperty("id").GetGuid();

        await (await mine.GetAsync($"/api/v1/expenses/{id}")).AssertErrorAsync(404, "not_found");
        await (await mine.PatchAsJsonAsync($"/api/v1/expenses/{id}", new { description = "Mine now" })).AssertErrorAsync(404, "not_found");
        await (await mine.DeleteAsync($"/api/v1/expenses/{id}")).AssertErrorAsync(404, "not_found");
        Assert.DoesNotContain(id.ToString(), await (await mine.GetAsync("/api/v1/expenses")).Content.ReadAsStringAsync());

        var foreign = await mine.PostAsJsonAsync("/api/v1/expenses", new { clientId = theirClient, description = "D", amount = 5, expenseDate = "2026-11-02" });
        Assert.Equal("not_found", (await foreign.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("clientId").GetString());
        var foreignProject = await mine.PostAsJsonAsync("/api/v1/expenses", new { clientId = myClient, projectId = theirProject, description = "D", amount = 5, expenseDate = "2026-11-02" });
        Assert.Equal("not_found", (await foreignProject.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("projectId").GetString());
    }

    [Fact]
    public async Task Members_have_no_access_to_any_expense_route()
    {
        var (workspace, owner, clientId) = await SetupAsync();
        var (_, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        using var member = workspace.Client(memberToken);
        var id = (await CreateAsync(owner, new { clientId, description = "Hidden", amount = 5, expenseDate = "2026-11-02" })).GetProperty("id").GetGuid();

        await (await member.GetAsync("/api/v1/expenses")).AssertErrorAsync(403, "forbidden_scope");
        await (await member.PostAsJsonAsync("/api/v1/expenses", new { clientId, description = "Mine", amount = 5, expenseDate = "2026-11-02" })).AssertErrorAsync(403, "forbidden_scope");
        await (await member.GetAsync($"/api/v1/expenses/{id}")).AssertErrorAsync(403, "forbidden_scope");
        await (await member.PatchAsJsonAsync($"/api/v1/expenses/{id}", new { description = "Mine" })).AssertErrorAsync(403, "forbidden_scope");
        await (await member.DeleteAsync($"/api/v1/expenses/{id}")).AssertErrorAsync(403, "forbidden_scope");
        Assert.Equal(1, await factory.WithDbAsync(db => db.Expenses.CountAsync(e => e.ClientId == clientId)));
    }

    [Fact]
    public async Task Managers_have_full_crud()
    {
        var (workspace, _, clientId) = await SetupAsync();
        var (_, managerToken) = await workspace.TokenForRoleAsync(Role.Manager);
        using var manager = workspace.Client(managerToken);

        var id = (await CreateAsync(manager, new { clientId, category = "MEALS", description = "Team lunch", amount = "64.20", expenseDate = "2026-11-02" })).GetProperty("id").GetGuid();
        Assert.Equal("64.20", (await (await manager.GetAsync($"/api/v1/expenses/{id}")).ReadJsonAsync()).GetProperty("data").GetProperty("amount").GetString());
        Assert.Single((await (await manager.GetAsync("/api/v1/expenses")).ReadJsonAsync()).GetProperty("data").EnumerateArray());
        Assert.Equal(200, (int)(await manager.PatchAsJsonAsync($"/api/v1/expenses/{id}", new { amount = 70 })).StatusCode);
        Assert.Equal(204, (int)(await manager.DeleteAsync($"/api/v1/expenses/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_list_pages_newest_first()
    {
        var (_, owner, clientId) = await SetupAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await CreateAsync(owner, new { clientId, description = $"E{i}", amount = i + 1, expenseDate = "2026-11-02" })).GetProperty("id").GetGuid());
        }

        var first = await (await owner.GetAsync("/api/v1/expenses?limit=2")).ReadJsonAsync();
        var cursor = first.GetProperty("pagination").GetProperty("nextCursor").GetString();
        var second = await (await owner.GetAsync($"/api/v1/expenses?limit=2&cursor={cursor}")).ReadJsonAsync();

        var seen = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).Select(e => e.GetProperty("id").GetGuid()).ToList();
        // Ids are UUIDv7: descending id order is newest first.
        Assert.Equal(ids.OrderByDescending(id => id.ToString()), seen);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("pagination").GetProperty("nextCursor").ValueKind);
    }
}
