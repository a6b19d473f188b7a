using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Features;
using Hoursmith.Api.Tests.Support;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// <c>invoices create|send|pay|cancel</c> as an operator runs them: a separate process on the
/// database the server uses. The rules themselves are covered in-process by <see cref="InvoiceTests"/>.
/// </summary>
public class InvoiceCliTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private Task<ProcessResult> Cli(params string[] args) => AppProcess.RunCliAsync(factory.ConnectionString, args);

    private async Task<(BillingData Data, Client Client)> SetupAsync()
    {
        var data = new BillingData(factory, await factory.CreateWorkspaceAsync());
        var client = await data.ClientAsync("Northwind", defaultRate: 95m, terms: PaymentTerms.Net30, taxRate: 19m);
        var project = await data.ProjectAsync(client, "Website");
        await data.EntryAsync(project, 11100, daysAgo: 3); // 3.25 h × 95 = 308.75
        await data.ExpenseAsync(client, 79m);
        return (data, client);
    }

    [Fact]
    public async Task Create_send_and_pay_print_the_invoice_and_a_refusal_is_one_error_line()
    {
        var (data, client) = await SetupAsync();

        var created = await Cli("invoices", "create", "--workspace", data.Workspace.Id.ToString(), "--client", client.Id.ToString(), "--discount", "10%");
        Assert.True(created.ExitCode == 0, created.StandardError);
        var invoice = created.Json;
        var id = invoice.GetProperty("id").GetString()!;
        // 308.75 + 79.00 = 387.75; 10 % = 38.78 (38.775 rounded half away from zero); 348.97 × 19 % = 66.30; 415.27
        Assert.Equal(("INV-0001", "DRAFT", "unpaid", "387.75", "38.78", "66.30", "415.27"),
            (S(invoice, "number"), S(invoice, "status"), S(invoice, "paymentStatus"), S(invoice, "subtotal"), S(invoice, "discountAmount"), S(invoice, "taxAmount"), S(invoice, "total")));
        Assert.Equal(BillingData.Today.AddDays(30).ToString("yyyy-MM-dd"), S(invoice, "dueDate"));
        Assert.Equal(
            [("time", "Website", "3.25", "308.75"), ("expense", "Expense 79.00", "1.00", "79.00")],
            invoice.GetProperty("lines").EnumerateArray().Select(l => (S(l, "kind"), S(l, "description"), S(l, "quantity"), S(l, "amount"))));

        var sent = await Cli("invoices", "send", "--invoice", id);
        Assert.Equal(("SENT", false), (S(sent.Json, "status"), sent.Json.GetProperty("sentAt").ValueKind == JsonValueKind.Null));

        var partial = await Cli("invoices", "pay", "--invoice", id, "--amount", "400");
        Assert.Equal(("SENT", "partially_paid", "400.00"), (S(partial.Json, "status"), S(partial.Json, "paymentStatus"), S(partial.Json, "amountPaid")));

        var tooMuch = await Cli("invoices", "pay", "--invoice", id, "--amount", "15.28");
        Assert.Equal(1, tooMuch.ExitCode);
        Assert.Equal("", tooMuch.StandardOutput);
        Assert.Equal("error: 15.28 is more than the balance of invoice INV-0001 (15.27 EUR).", Assert.Single(tooMuch.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));

        var paid = await Cli("invoices", "pay", "--invoice", id, "--amount", "15.27");
        Assert.Equal(("PAID", "paid", "415.27"), (S(paid.Json, "status"), S(paid.Json, "paymentStatus"), S(paid.Json, "amountPaid")));
        Assert.All(new[] { created, sent, partial, paid }, r => Assert.Equal("", r.StandardError));
    }

    [Theory]
    [InlineData(2, "--discount", "ten percent")]
    [InlineData(2, "--tax-rate", "twenty")]
    [InlineData(1, "--workspace", "3f2c1a52-0000-4000-8000-000000000000")]
    [InlineData(1, "--no-expenses", "--to", "2000-01-01")]
    public async Task Refused_creates_are_one_line_on_stderr_and_create_nothing(int exitCode, params string[] extra)
    {
        var (data, client) = await SetupAsync();
        var args = new List<string> { "invoices", "create", "--client", client.Id.ToString() };
        if (!extra.Contains("--workspace"))
        {
            args.AddRange(["--workspace", data.Workspace.Id.ToString()]);
        }

        var result = await Cli([.. args, .. extra]);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.StartsWith("error: ", Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.All((await data.EntryInvoiceIdsAsync()).Values, Assert.Null);
    }

    private static string? S(JsonElement element, string name) => element.GetProperty(name).ValueKind == JsonValueKind.Null ? null : element.GetProperty(name).GetString();
}
