using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Infrastructure.Json;

namespace Hoursmith.Api.Tests.Unit;

/// <summary>The invoice arithmetic against hand-computed examples; amounts compared as the API writes them.</summary>
public class InvoiceCalculatorTests
{
    private static readonly Guid s_website = Guid.Parse("00000000-0000-4000-8000-000000000001");
    private static readonly Guid s_app = Guid.Parse("00000000-0000-4000-8000-000000000002");
    private static readonly Guid s_designTask = Guid.Parse("00000000-0000-4000-8000-0000000000a1");
    private static readonly Guid s_buildTask = Guid.Parse("00000000-0000-4000-8000-0000000000a2");

    private static string Money(decimal value) => DecimalStringConverter.Format(value);

    private static InvoiceAmounts Calculate(
        IEnumerable<BillableTime>? time = null, IEnumerable<FixedFee>? fees = null, IEnumerable<BillableExpense>? expenses = null,
        string? discount = null, decimal? taxRate = null) =>
        InvoiceCalculator.Calculate(time ?? [], fees ?? [], expenses ?? [], discount is null ? null : InvoiceDiscount.Parse(discount)!, taxRate);

    [Theory]
    [InlineData(0, "0.00")]
    [InlineData(1, "0.25")]        // one second is a started quarter hour
    [InlineData(899, "0.25")]
    [InlineData(900, "0.25")]      // exact quarters stay as they are
    [InlineData(901, "0.50")]
    [InlineData(3600, "1.00")]
    [InlineData(3601, "1.25")]
    [InlineData(5400, "1.50")]
    [InlineData(11100, "3.25")]    // 3 h 5 min
    public void Each_entry_is_rounded_up_to_the_next_quarter_hour(long seconds, string hours)
    {
        Assert.Equal(hours, Money(InvoiceCalculator.RoundedHours(seconds)));
    }

    [Fact]
    public void Time_is_grouped_by_project_and_task_summing_each_entrys_rounded_hours()
    {
        var amounts = Calculate(time:
        [
            new(s_website, "Website", s_designTask, "Design", 61, 100m),      // 0.25 h
            new(s_website, "Website", s_designTask, "Design", 2700, 100m),    // 0.75 h (45 min)
            new(s_website, "Website", s_buildTask, "Build", 1800, 100m),      // 0.50 h
            new(s_website, "Website", null, null, 600, 100m),             // 0.25 h, no task: last in its project
            new(s_app, "App", null, null, 7200, 120m),                    // 2.00 h
        ]);

        Assert.Equal(
            [
                ("App", "2.00", "120.00", "240.00"),
                ("Website: Build", "0.50", "100.00", "50.00"),
                ("Website: Design", "1.00", "100.00", "100.00"),
                ("Website", "0.25", "100.00", "25.00"),
            ],
            amounts.Lines.Select(l => (l.Description, Money(l.Quantity), Money(l.UnitPrice), Money(l.Amount))));
        Assert.All(amounts.Lines, l => Assert.Equal(InvoiceLineKind.Time, l.Kind));
        Assert.Equal([s_app, s_website, s_website, s_website], amounts.Lines.Select(l => l.ProjectId!.Value));
        Assert.Equal([null, s_buildTask, s_designTask, null], amounts.Lines.Select(l => l.TaskId));
        Assert.Equal("415.00", Money(amounts.Subtotal));
        Assert.Equal("415.00", Money(amounts.Total));
    }

    [Fact]
    public void Four_decimal_rates_are_rounded_to_the_cent_half_away_from_zero()
    {
        // 87.1234 × 1.25 = 108.90425 → 108.90; 0.50 × 0.25 = 0.125 → 0.13 (not banker's 0.12).
        var amounts = Calculate(time:
        [
            new(s_website, "Website", null, null, 4500, 87.1234m),
            new(s_app, "App", null, null, 900, 0.25m),
            new(s_app, "App", null, null, 900, 0.25m),
        ]);

        Assert.Equal([("App", "0.50", "0.13"), ("Website", "1.25", "108.90")], amounts.Lines.Select(l => (l.Description, Money(l.Quantity), Money(l.Amount))));
        Assert.Equal("87.1234", Money(amounts.Lines[1].UnitPrice));
        Assert.Equal("109.03", Money(amounts.Subtotal));
    }

    [Fact]
    public void Expenses_are_one_line_each_after_the_time_and_add_up_exactly()
    {
        var amounts = Calculate(
            time: [new(s_website, "Website", null, null, 3600, 50m)],
            expenses: [new(null, "Stamps", 0.10m), new(s_website, "Envelopes", 0.20m)]);

        Assert.Equal(
            [(InvoiceLineKind.Time, "Website", "1.00", "50.00"), (InvoiceLineKind.Expense, "Stamps", "1.00", "0.10"), (InvoiceLineKind.Expense, "Envelopes", "1.00", "0.20")],
            amounts.Lines.Select(l => (l.Kind, l.Description, Money(l.Quantity), Money(l.Amount))));
        Assert.Equal(s_website, amounts.Lines[2].ProjectId);
        Assert.Equal("50.30", Money(amounts.Subtotal));
    }

    [Fact]
    public void Ten_cents_plus_twenty_cents_is_thirty_cents()
    {
        var amounts = Calculate(expenses: [new(null, "A", 0.10m), new(null, "B", 0.20m)]);

        Assert.Equal("0.30", Money(amounts.Subtotal));
        Assert.Equal(0.30m, amounts.Total);
    }

    [Fact]
    public void A_fixed_fee_is_one_line_of_quantity_one_before_the_projects_hourly_lines()
    {
        var amounts = Calculate(fees: [new(s_website, "Website", 4500m)], time: [new(s_app, "App", null, null, 3600, 100m)]);

        Assert.Equal([("App", "1.00", "100.00"), ("Website: fixed fee", "1.00", "4500.00")], amounts.Lines.Select(l => (l.Description, Money(l.Quantity), Money(l.Amount))));
        Assert.Null(amounts.Lines[1].TaskId);
        Assert.Equal("4600.00", Money(amounts.Subtotal));
    }

    [Fact]
    public void A_fixed_discount_comes_off_before_tax()
    {
        // (200.00 − 50.00) × 20 % = 30.00; 150.00 + 30.00 = 180.00
        var amounts = Calculate(time: [new(s_website, "Website", null, null, 7200, 100m)], discount: "50.00", taxRate: 20m);

        Assert.Equal(("200.00", "50.00", "30.00", "180.00"), (Money(amounts.Subtotal), Money(amounts.DiscountAmount), Money(amounts.TaxAmount), Money(amounts.Total)));
    }

    [Fact]
    public void A_percent_discount_is_of_the_subtotal_rounded_to_the_cent()
    {
        // 108.90 × 12.5 % = 13.6125 → 13.61; (108.90 − 13.61) × 19 % = 18.1051 → 18.11; 95.29 + 18.11 = 113.40
        var amounts = Calculate(time: [new(s_website, "Website", null, null, 4500, 87.1234m)], discount: "12.5%", taxRate: 19m);

        Assert.Equal(("108.90", "13.61", "18.11", "113.40"), (Money(amounts.Subtotal), Money(amounts.DiscountAmount), Money(amounts.TaxAmount), Money(amounts.Total)));
    }

    [Fact]
    public void A_discount_never_exceeds_the_subtotal()
    {
        var amounts = Calculate(expenses: [new(null, "Cable", 30m)], discount: "50.00", taxRate: 20m);

        Assert.Equal(("30.00", "30.00", "0.00", "0.00"), (Money(amounts.Subtotal), Money(amounts.DiscountAmount), Money(amounts.TaxAmount), Money(amounts.Total)));
        Assert.Equal("30.00", Money(Calculate(expenses: [new(null, "Cable", 30m)], discount: "100%").DiscountAmount));
    }

    [Fact]
    public void Tax_is_rounded_to_the_cent_and_the_total_is_exact()
    {
        // 3 × 33.33 = 99.99; tax 7.25 % = 7.249275 → 7.25; total 107.24
        var amounts = Calculate(expenses: [new(null, "A", 33.33m), new(null, "B", 33.33m), new(null, "C", 33.33m)], taxRate: 7.25m);

        Assert.Equal(("99.99", "0.00", "7.25", "107.24"), (Money(amounts.Subtotal), Money(amounts.DiscountAmount), Money(amounts.TaxAmount), Money(amounts.Total)));
    }

    [Fact]
    public void Without_a_tax_rate_there_is_no_tax()
    {
        var amounts = Calculate(expenses: [new(null, "A", 12.34m)]);

        Assert.Equal(("0.00", "12.34"), (Money(amounts.TaxAmount), Money(amounts.Total)));
    }

    [Theory]
    [InlineData("50.00", true, "50.00")]
    [InlineData("50", true, "50.00")]
    [InlineData("10%", false, "10.00")]
    [InlineData(" 12.5 % ", false, "12.50")]
    [InlineData("100%", false, "100.00")]
    public void Discounts_parse_as_an_amount_or_a_percentage(string text, bool isFixed, string value)
    {
        var discount = InvoiceDiscount.Parse(text);

        Assert.NotNull(discount);
        Assert.Equal(isFixed, discount is InvoiceDiscount.Fixed);
        Assert.Equal(value, Money(discount switch { InvoiceDiscount.Fixed f => f.Amount, InvoiceDiscount.Percent p => p.Rate, _ => -1 }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("%")]
    [InlineData("-5")]
    [InlineData("-5%")]
    [InlineData("101%")]
    [InlineData("50.001")]
    [InlineData("1e3")]
    [InlineData("1,000")]
    [InlineData("ten")]
    [InlineData("€50")]
    public void Malformed_discounts_do_not_parse(string text)
    {
        Assert.Null(InvoiceDiscount.Parse(text));
    }
}
