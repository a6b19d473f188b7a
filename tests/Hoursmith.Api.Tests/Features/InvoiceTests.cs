using System.Text.Json;
using Hoursmith.Api.Administration;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Features;

/// <summary>The invoicing operations (in-process) and the read API.</summary>
public class InvoiceTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static DateOnly Today => BillingData.Today;

    private async Task<BillingData> SetupAsync(Plan plan = Plan.Studio) => new(factory, await factory.CreateWorkspaceAsync(plan));

    private static async Task<string> RefusedAsync(Func<Task> operation, bool invalidInput = false)
    {
        var refused = await Assert.ThrowsAsync<AdministrationException>(operation);
        Assert.Equal(invalidInput, refused.IsInvalidInput);
        return refused.Message;
    }

    [Fact]
    public async Task Create_gathers_the_clients_billable_uninvoiced_stopped_time_and_expenses_and_locks_them()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync("Northwind", defaultRate: 100m, terms: PaymentTerms.Net30, taxRate: 20m);
        var otherClient = await data.ClientAsync("Globex", defaultRate: 70m);
        var website = await data.ProjectAsync(client, "Website", rate: 80m);
        var retainer = await data.ProjectAsync(client, "Retainer"); // no rate: the client's 100
        var internalWork = await data.ProjectAsync(client, "Internal", RateType.NonBillable);
        var foreign = await data.ProjectAsync(otherClient, "Globex app", rate: 50m);
        var design = await data.TaskAsync(website, "Design");
        var earlier = await data.InvoiceRowAsync(client, "OLD-1", InvoiceStatus.Sent, DateTime.UtcNow.AddMonths(-2));

        var gathered = new[]
        {
            await data.EntryAsync(website, 3600, daysAgo: 5, task: design),  // 1.00 h
            await data.EntryAsync(website, 1, daysAgo: 4, task: design),     // 0.25 h
            await data.EntryAsync(retainer, 5400, daysAgo: 3),               // 1.50 h
        };
        var skipped = new[]
        {
            await data.EntryAsync(internalWork, 3600),
            await data.EntryAsync(website, 3600, billable: false),
            await data.EntryAsync(website, 0, running: true),
            await data.EntryAsync(website, 3600, invoiceId: earlier.Id),
            await data.EntryAsync(website, 3600, deleted: true),
            await data.EntryAsync(foreign, 3600),
        };
        var billedExpenses = new[] { await data.ExpenseAsync(client, 0.10m), await data.ExpenseAsync(client, 0.20m) };
        var skippedExpenses = new[]
        {
            await data.ExpenseAsync(client, 5m, billable: false),
            await data.ExpenseAsync(client, 6m, currency: "USD"),
            await data.ExpenseAsync(client, 7m, invoiceId: earlier.Id),
            await data.ExpenseAsync(otherClient, 8m),
        };

        var invoice = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));

        Assert.Equal(("INV-0001", InvoiceStatus.Draft, PaymentStatus.Unpaid), (invoice.Number, invoice.Status, invoice.PaymentStatus));
        Assert.Equal(("Northwind", "EUR", Today, Today.AddDays(30)), (invoice.BillToName, invoice.Currency, invoice.IssueDate, invoice.DueDate));
        Assert.Equal(
            [
                (1, InvoiceLineKind.Time, "Retainer", 1.50m, 100m, 150.00m),
                (2, InvoiceLineKind.Time, "Website: Design", 1.25m, 80m, 100.00m),
                (3, InvoiceLineKind.Expense, "Expense 0.10", 1m, 0.10m, 0.10m),
                (4, InvoiceLineKind.Expense, "Expense 0.20", 1m, 0.20m, 0.20m),
            ],
            invoice.Lines.OrderBy(l => l.Position).Select(l => (l.Position, l.Kind, l.Description, l.Quantity, l.UnitPrice, l.Amount)));
        // 250.30 + 20 % tax (50.06) = 300.36
        Assert.Equal((250.30m, 0m, 20m, 300.36m, 0m), (invoice.Subtotal, invoice.DiscountAmount, invoice.TaxRate!.Value, invoice.Total, invoice.AmountPaid));

        var entries = await data.EntryInvoiceIdsAsync();
        Assert.All(gathered, e => Assert.Equal(invoice.Id, entries[e.Id]));
        Assert.All(skipped, e => Assert.Equal(e.InvoiceId, entries[e.Id]));
        var expenses = await data.ExpenseInvoiceIdsAsync();
        Assert.All(billedExpenses, e => Assert.Equal(invoice.Id, expenses[e.Id]));
        Assert.All(skippedExpenses, e => Assert.Equal(e.InvoiceId, expenses[e.Id]));

        // Reserved work is not gathered twice.
        Assert.StartsWith("Nothing to invoice", await RefusedAsync(() => data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)))));
    }

    [Fact]
    public async Task The_date_window_is_inclusive_and_expenses_can_be_left_out()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync(taxRate: 20m);
        var project = await data.ProjectAsync(client, "Website", rate: 90m);
        var before = await data.EntryAsync(project, 3600, daysAgo: 10);
        var first = await data.EntryAsync(project, 3600, daysAgo: 6);
        var last = await data.EntryAsync(project, 1800, daysAgo: 2);
        var after = await data.EntryAsync(project, 3600, daysAgo: 1);
        var expense = await data.ExpenseAsync(client, 12m, daysAgo: 3);

        var invoice = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id, From: Today.AddDays(-6), To: Today.AddDays(-2),
            IncludeExpenses: false, Discount: InvoiceDiscount.Parse("10%"), TaxRate: 0m, DueDate: Today.AddDays(7))));

        // 1.50 h × 90 = 135.00; 10 % off = 13.50; tax 0 (overrides the client's 20)
        var line = Assert.Single(invoice.Lines);
        Assert.Equal((1.50m, 135.00m), (line.Quantity, line.Amount));
        Assert.Equal((135.00m, 13.50m, 0m, 121.50m, Today.AddDays(7)), (invoice.Subtotal, invoice.DiscountAmount, invoice.TaxRate!.Value, invoice.Total, invoice.DueDate!.Value));
        var entries = await data.EntryInvoiceIdsAsync();
        Assert.Equal([null, invoice.Id, invoice.Id, null], new[] { before, first, last, after }.Select(e => entries[e.Id]));
        Assert.Null((await data.ExpenseInvoiceIdsAsync())[expense.Id]);
    }

    [Fact]
    public async Task Create_refuses_clearly_and_leaves_nothing_behind()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync(defaultRate: null);
        var unpriced = await data.ProjectAsync(client, "Unpriced work");
        var entry = await data.EntryAsync(unpriced, 3600);
        var empty = await data.ClientAsync("Nothing here");
        await data.EntryAsync(await data.ProjectAsync(empty, "Pro bono", RateType.NonBillable), 3600);

        Assert.Contains("'Unpriced work'", await RefusedAsync(() => data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)))));
        Assert.Equal("Nothing to invoice: Nothing here has no billable, un-invoiced time or expenses.",
            await RefusedAsync(() => data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, empty.Id)))));
        Assert.Contains("does not exist", await RefusedAsync(() => data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(Guid.NewGuid(), client.Id)))));
        var otherWorkspace = await factory.CreateWorkspaceAsync();
        Assert.Contains("is not in workspace", await RefusedAsync(() => data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(otherWorkspace.Id, client.Id)))));
        await RefusedAsync(() => data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id, From: Today, To: Today.AddDays(-1)))), invalidInput: true);
        await RefusedAsync(() => data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id, TaxRate: 150m))), invalidInput: true);
        await RefusedAsync(() => data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, empty.Id, DueDate: Today.AddDays(-1)))), invalidInput: true);

        Assert.Null((await data.EntryInvoiceIdsAsync())[entry.Id]);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Invoices.CountAsync(i => i.WorkspaceId == data.Workspace.Id)));
        // Refusals consume no number: the first invoice is still INV-0001.
        await factory.WithDbAsync(db => db.Projects.Where(p => p.Id == unpriced.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.HourlyRate, 20m)));
        Assert.Equal("INV-0001", (await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)))).Number);
    }

    [Fact]
    public async Task Numbers_increment_and_a_cancelled_invoice_keeps_its_number_and_releases_its_work()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync();
        var project = await data.ProjectAsync(client, "Website", rate: 50m);
        var entry = await data.EntryAsync(project, 3600);
        var expense = await data.ExpenseAsync(client, 9.99m);

        var first = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));
        await data.InvoicingAsync(i => i.SendAsync(first.Id));
        var cancelled = await data.InvoicingAsync(i => i.CancelAsync(first.Id));

        Assert.Equal((InvoiceStatus.Cancelled, "INV-0001"), (cancelled.Status, cancelled.Number));
        Assert.Null((await data.EntryInvoiceIdsAsync())[entry.Id]);
        Assert.Null((await data.ExpenseInvoiceIdsAsync())[expense.Id]);
        Assert.Contains("already cancelled", await RefusedAsync(() => data.InvoicingAsync(i => i.CancelAsync(first.Id))));

        var second = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));
        Assert.Equal("INV-0002", second.Number);
        Assert.Equal(59.99m, second.Total);
        Assert.Equal(second.Id, (await data.EntryInvoiceIdsAsync())[entry.Id]);
        Assert.Equal(second.Id, (await data.ExpenseInvoiceIdsAsync())[expense.Id]);

        await data.InvoicingAsync(i => i.CancelAsync(second.Id)); // a draft can be cancelled too
        Assert.Equal("INV-0003", (await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)))).Number);
    }

    [Fact]
    public async Task A_deleted_draft_releases_its_work_keeps_its_number_and_is_listed_only_with_includeDeleted()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync();
        var project = await data.ProjectAsync(client, "Website", rate: 50m);
        var entry = await data.EntryAsync(project, 3600);
        var expense = await data.ExpenseAsync(client, 9.99m);
        var draft = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));
        var (_, token) = await data.Workspace.TokenForRoleAsync(Role.Owner);
        using var owner = data.Workspace.Client(token);

        var deleted = await data.InvoicingAsync(i => i.DeleteDraftAsync(draft.Id));

        Assert.NotNull(deleted.DeletedAt);
        Assert.Null((await data.EntryInvoiceIdsAsync())[entry.Id]);
        Assert.Null((await data.ExpenseInvoiceIdsAsync())[expense.Id]);
        await (await owner.GetAsync($"/api/v1/invoices/{draft.Id}")).AssertErrorAsync(404, "not_found");
        Assert.Empty((await (await owner.GetAsync("/api/v1/invoices")).ReadJsonAsync()).GetProperty("data").EnumerateArray());
        var withDeleted = (await (await owner.GetAsync("/api/v1/invoices?includeDeleted=true")).ReadJsonAsync()).GetProperty("data");
        Assert.Equal(draft.Id, Assert.Single(withDeleted.EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.String, withDeleted[0].GetProperty("deletedAt").ValueKind);
        // The number is never reused; the released work goes on the next invoice.
        var next = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));
        Assert.Equal("INV-0002", next.Number);
        Assert.Equal(next.Id, (await data.EntryInvoiceIdsAsync())[entry.Id]);
        await data.InvoicingAsync(i => i.SendAsync(next.Id));
        Assert.Contains("only a draft can be deleted", await RefusedAsync(() => data.InvoicingAsync(i => i.DeleteDraftAsync(next.Id))));
        Assert.Contains("does not exist", await RefusedAsync(() => data.InvoicingAsync(i => i.DeleteDraftAsync(draft.Id))));
    }

    [Fact]
    public async Task A_fixed_fee_is_billed_once_per_project_until_its_invoice_is_cancelled()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync(defaultRate: null);
        var brand = await data.ProjectAsync(client, "Brand refresh", RateType.Fixed, fee: 4500m);
        var sketches = await data.EntryAsync(brand, 7200, daysAgo: 3);
        var review = await data.EntryAsync(brand, 1800, daysAgo: 2);

        var first = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));

        var fee = Assert.Single(first.Lines);
        Assert.Equal(("Brand refresh: fixed fee", 1m, 4500m, 4500m, brand.Id), (fee.Description, fee.Quantity, fee.UnitPrice, fee.Amount, fee.ProjectId!.Value));
        var entries = await data.EntryInvoiceIdsAsync();
        Assert.Equal([first.Id, first.Id], new[] { sketches, review }.Select(e => entries[e.Id]));

        // Later time on the project is covered by the fee: nothing more to bill.
        var later = await data.EntryAsync(brand, 3600, daysAgo: 1);
        Assert.StartsWith("Nothing to invoice", await RefusedAsync(() => data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)))));

        await data.InvoicingAsync(i => i.CancelAsync(first.Id));
        var again = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));
        Assert.Equal(4500m, Assert.Single(again.Lines).Amount);
        entries = await data.EntryInvoiceIdsAsync();
        Assert.Equal([again.Id, again.Id, again.Id], new[] { sketches, review, later }.Select(e => entries[e.Id]));
    }

    [Fact]
    public async Task Send_moves_a_draft_to_sent_once_and_freezes_the_bill_to_name()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync("Initech");
        await data.EntryAsync(await data.ProjectAsync(client, "Support", rate: 60m), 3600);
        var draft = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));
        await factory.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Initech GmbH")));

        var sent = await data.InvoicingAsync(i => i.SendAsync(draft.Id));

        Assert.Equal((InvoiceStatus.Sent, "Initech GmbH"), (sent.Status, sent.BillToName));
        Assert.NotNull(sent.SentAt);
        Assert.Contains("only drafts can be sent", await RefusedAsync(() => data.InvoicingAsync(i => i.SendAsync(draft.Id))));
        await factory.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Initech AG")));
        Assert.Equal("Initech GmbH", await factory.WithDbAsync(db => db.Invoices.Where(i => i.Id == draft.Id).Select(i => i.BillToName).SingleAsync()));
        Assert.Contains("does not exist", await RefusedAsync(() => data.InvoicingAsync(i => i.SendAsync(Guid.NewGuid()))));
    }

    [Fact]
    public async Task The_eleventh_invoice_sent_this_month_on_studio_is_refused()
    {
        var data = await SetupAsync(Plan.Studio);
        var client = await data.ClientAsync();
        var now = DateTime.UtcNow;
        var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var n = 1; n <= 9; n++)
        {
            await data.InvoiceRowAsync(client, $"SENT-{n}", n == 9 ? InvoiceStatus.Cancelled : InvoiceStatus.Sent, monthStart.AddMinutes(n));
        }

        await data.InvoiceRowAsync(client, "LAST-MONTH", InvoiceStatus.Paid, monthStart.AddDays(-1));
        await data.InvoiceRowAsync(client, "A-DRAFT", InvoiceStatus.Draft);
        var project = await data.ProjectAsync(client, "Website", rate: 50m);
        await data.EntryAsync(project, 3600);
        var tenth = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));
        await data.EntryAsync(project, 3600);
        var eleventh = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));

        Assert.Equal(InvoiceStatus.Sent, (await data.InvoicingAsync(i => i.SendAsync(tenth.Id))).Status);
        Assert.Equal(Invoicing.MonthlyLimitMessage, await RefusedAsync(() => data.InvoicingAsync(i => i.SendAsync(eleventh.Id))));
        Assert.Equal("This workspace has reached its monthly invoice limit.", Invoicing.MonthlyLimitMessage);
        Assert.Equal(InvoiceStatus.Draft, await factory.WithDbAsync(db => db.Invoices.Where(i => i.Id == eleventh.Id).Select(i => i.Status).SingleAsync()));
    }

    [Fact]
    public async Task Payments_mark_an_invoice_partially_paid_then_paid_and_a_paid_invoice_cannot_be_cancelled()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync(taxRate: 10m);
        await data.EntryAsync(await data.ProjectAsync(client, "Website", rate: 100m), 3600); // 100.00 + 10.00 tax
        var invoice = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id)));
        Assert.Contains("sent invoices only", await RefusedAsync(() => data.InvoicingAsync(i => i.PayAsync(invoice.Id, 10m))));
        await data.InvoicingAsync(i => i.SendAsync(invoice.Id));

        await RefusedAsync(() => data.InvoicingAsync(i => i.PayAsync(invoice.Id, 0m)), invalidInput: true);
        await RefusedAsync(() => data.InvoicingAsync(i => i.PayAsync(invoice.Id, 1.001m)), invalidInput: true);
        var partial = await data.InvoicingAsync(i => i.PayAsync(invoice.Id, 40.05m));
        Assert.Equal((InvoiceStatus.Sent, PaymentStatus.PartiallyPaid, 40.05m), (partial.Status, partial.PaymentStatus, partial.AmountPaid));
        Assert.Null(partial.PaidAt);
        Assert.Contains("more than the balance", await RefusedAsync(() => data.InvoicingAsync(i => i.PayAsync(invoice.Id, 69.96m))));

        var paid = await data.InvoicingAsync(i => i.PayAsync(invoice.Id, 69.95m));
        Assert.Equal((InvoiceStatus.Paid, PaymentStatus.Paid, 110.00m), (paid.Status, paid.PaymentStatus, paid.AmountPaid));
        Assert.NotNull(paid.PaidAt);
        Assert.Contains("sent invoices only", await RefusedAsync(() => data.InvoicingAsync(i => i.PayAsync(invoice.Id, 1m))));
        Assert.Contains("cannot be cancelled", await RefusedAsync(() => data.InvoicingAsync(i => i.CancelAsync(invoice.Id))));
    }

    [Fact]
    public async Task A_manager_lists_and_reads_invoices_with_their_lines()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync("Northwind", terms: PaymentTerms.Net14, taxRate: 19m);
        var project = await data.ProjectAsync(client, "Website", rate: 87.1234m);
        var task = await data.TaskAsync(project, "Homepage");
        await data.EntryAsync(project, 4500, task: task);
        await data.ExpenseAsync(client, 79m);
        var invoice = await data.InvoicingAsync(i => i.CreateAsync(new NewInvoice(data.Workspace.Id, client.Id, Discount: InvoiceDiscount.Parse("7.90"))));
        await data.InvoicingAsync(i => i.SendAsync(invoice.Id));
        var overdue = await data.InvoiceRowAsync(client, "OLD-7", InvoiceStatus.Sent, DateTime.UtcNow.AddDays(-40), due: Today.AddDays(-1));
        var (_, token) = await data.Workspace.TokenForRoleAsync(Role.Manager);
        using var manager = data.Workspace.Client(token);

        var listed = await (await manager.GetAsync("/api/v1/invoices")).ReadJsonAsync();
        var read = await manager.GetAsync($"/api/v1/invoices/{invoice.Id}");

        Assert.Equal([overdue.Id, invoice.Id], listed.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.True(listed.GetProperty("data")[0].GetProperty("overdue").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("pagination").GetProperty("nextCursor").ValueKind);
        Assert.Equal(200, (int)read.StatusCode);
        var body = (await read.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(listed.GetProperty("data")[1].ToString(), body.ToString());
        // 1.25 h × 87.1234 = 108.90; + 79.00 = 187.90; − 7.90 = 180.00; 19 % = 34.20; 214.20
        Assert.Equal(
            ["id", "orgId", "clientId", "number", "status", "paymentStatus", "subtotal", "discountAmount", "taxRate", "taxAmount", "total", "amountPaid",
             "currency", "notes", "billToName", "issueDate", "dueDate", "sentAt", "paidAt", "overdue", "lines", "createdAt", "updatedAt", "deletedAt"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ("INV-0001", "SENT", "unpaid", "187.90", "7.90", "19.00", "34.20", "214.20", "0.00", "EUR", "Northwind"),
            (S(body, "number"), S(body, "status"), S(body, "paymentStatus"), S(body, "subtotal"), S(body, "discountAmount"), S(body, "taxRate"),
             S(body, "taxAmount"), S(body, "total"), S(body, "amountPaid"), S(body, "currency"), S(body, "billToName")));
        Assert.Equal((Today.ToString("yyyy-MM-dd"), Today.AddDays(14).ToString("yyyy-MM-dd")), (S(body, "issueDate"), S(body, "dueDate")));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("paidAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("notes").ValueKind);
        Assert.EndsWith("Z", S(body, "sentAt"));
        Assert.False(body.GetProperty("overdue").GetBoolean());
        var lines = body.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(
            [
                (1, "time", "Website: Homepage", project.Id.ToString(), task.Id.ToString(), "1.25", "87.1234", "108.90"),
                (2, "expense", "Expense 79.00", null, null, "1.00", "79.00", "79.00"),
            ],
            lines.Select(l => (l.GetProperty("position").GetInt32(), S(l, "kind"), S(l, "description"), S(l, "projectId"), S(l, "taskId"),
                S(l, "quantity"), S(l, "unitPrice"), S(l, "amount"))));
    }

    [Fact]
    public async Task Members_cannot_see_invoices_and_other_workspaces_get_404()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync();
        var invoice = await data.InvoiceRowAsync(client, "INV-9", InvoiceStatus.Draft);
        var (_, memberToken) = await data.Workspace.TokenForRoleAsync(Role.Member);
        using var member = data.Workspace.Client(memberToken);
        var stranger = await factory.CreateWorkspaceAsync();
        using var strangerOwner = stranger.Client((await stranger.MintAsync(stranger.OwnerId)).Token);

        await (await member.GetAsync("/api/v1/invoices")).AssertErrorAsync(403, "forbidden_scope");
        await (await member.GetAsync($"/api/v1/invoices/{invoice.Id}")).AssertErrorAsync(403, "forbidden_scope");
        await (await strangerOwner.GetAsync($"/api/v1/invoices/{invoice.Id}")).AssertErrorAsync(404, "not_found");
        Assert.Empty((await (await strangerOwner.GetAsync("/api/v1/invoices")).ReadJsonAsync()).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_client_with_invoices_cannot_be_deleted()
    {
        var data = await SetupAsync();
        var client = await data.ClientAsync();
        await data.InvoiceRowAsync(client, "INV-1", InvoiceStatus.Cancelled);
        using var owner = data.Workspace.Client((await data.Workspace.MintAsync(data.Workspace.OwnerId)).Token);

        await (await owner.DeleteAsync($"/api/v1/clients/{client.Id}")).AssertErrorAsync(409, "conflict");
    }

    private static string? S(JsonElement element, string name) => element.GetProperty(name).ValueKind == JsonValueKind.Null ? null : element.GetProperty(name).GetString();
}

/// <summary>
/// Billing rows for one test's workspace, inserted directly (the time-entry and expense endpoints
/// are not what these tests are about), and the invoicing service in a scope of its own.
/// </summary>
public sealed class BillingData(ApiFactory factory, TestWorkspace workspace)
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public TestWorkspace Workspace => workspace;

    public async Task<Invoice> InvoicingAsync(Func<Invoicing, Task<Invoice>> operation)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<Invoicing>());
    }

    public Task<T> InsertAsync<T>(T entity) where T : WorkspaceEntity => factory.WithDbAsync(async db =>
    {
        entity.WorkspaceId = workspace.Id;
        entity.CreatedAt = entity.UpdatedAt = DateTime.UtcNow;
        db.Add(entity);
        await db.SaveChangesAsync();
        return entity;
    });

    public Task<Client> ClientAsync(string name = "Acme", decimal? defaultRate = 100m, PaymentTerms? terms = null, decimal? taxRate = null) =>
        InsertAsync(new Client { Name = name, Currency = "EUR", DefaultRate = defaultRate, DefaultPaymentTerms = terms, DefaultTaxRate = taxRate });

    public Task<Project> ProjectAsync(Client client, string name, RateType rateType = RateType.Hourly, decimal? rate = null, decimal? fee = null) =>
        InsertAsync(new Project { ClientId = client.Id, Name = name, RateType = rateType, HourlyRate = rate, FixedFeeAmount = fee });

    public Task<WorkTask> TaskAsync(Project project, string name) => InsertAsync(new WorkTask { ProjectId = project.Id, Name = name });

    public Task<TimeEntry> EntryAsync(
        Project project, long seconds, int daysAgo = 1, WorkTask? task = null, bool billable = true, Guid? invoiceId = null, bool running = false, bool deleted = false)
    {
        var started = DateTime.UtcNow.AddDays(-daysAgo);
        return InsertAsync(new TimeEntry
        {
            MemberId = workspace.OwnerId,
            ProjectId = project.Id,
            TaskId = task?.Id,
            Billable = billable,
            InvoiceId = invoiceId,
            EntryDate = Today.AddDays(-daysAgo),
            DurationSeconds = running ? null : seconds,
            StartedAt = started,
            StoppedAt = running ? null : started.AddSeconds(seconds),
            DeletedAt = deleted ? DateTime.UtcNow : null,
        });
    }

    public Task<Expense> ExpenseAsync(Client client, decimal amount, int daysAgo = 1, bool billable = true, string currency = "EUR", Guid? invoiceId = null) =>
        InsertAsync(new Expense
        {
            ClientId = client.Id,
            Description = $"Expense {amount:0.00}",
            Amount = amount,
            Currency = currency,
            Billable = billable,
            InvoiceId = invoiceId,
            ExpenseDate = Today.AddDays(-daysAgo),
        });

    /// <summary>An invoice row as if made earlier (for limits and reads); no lines.</summary>
    public Task<Invoice> InvoiceRowAsync(Client client, string number, InvoiceStatus status, DateTime? sentAt = null, DateOnly? due = null) =>
        InsertAsync(new Invoice
        {
            ClientId = client.Id,
            Number = number,
            Status = status,
            Currency = "EUR",
            BillToName = client.Name,
            Subtotal = 10m,
            Total = 10m,
            IssueDate = Today,
            DueDate = due,
            SentAt = status == InvoiceStatus.Draft ? null : sentAt ?? DateTime.UtcNow,
        });

    public Task<Dictionary<Guid, Guid?>> EntryInvoiceIdsAsync() => factory.WithDbAsync(db =>
        db.TimeEntries.IgnoreQueryFilters().Where(e => e.WorkspaceId == workspace.Id).ToDictionaryAsync(e => e.Id, e => e.InvoiceId));

    public Task<Dictionary<Guid, Guid?>> ExpenseInvoiceIdsAsync() => factory.WithDbAsync(db =>
        db.Expenses.IgnoreQueryFilters().Where(e => e.WorkspaceId == workspace.Id).ToDictionaryAsync(e => e.Id, e => e.InvoiceId));
}
