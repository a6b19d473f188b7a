using System.Globalization;
using Hoursmith.Api.Data.Entities;

namespace Hoursmith.Api.Features.Invoices;

/// <summary>A discount applied before tax: a fixed amount (<c>50.00</c>) or a percentage of the subtotal (<c>10%</c>).</summary>
public abstract record InvoiceDiscount
{
    private InvoiceDiscount()
    {
    }

    /// <summary>What the discount takes off this subtotal, to the cent and never more than the subtotal.</summary>
    public abstract decimal AmountOf(decimal subtotal);

    public sealed record Fixed(decimal Amount) : InvoiceDiscount
    {
        public override decimal AmountOf(decimal subtotal) => Math.Min(InvoiceCalculator.Cents(Amount), subtotal);
    }

    public sealed record Percent(decimal Rate) : InvoiceDiscount
    {
        public override decimal AmountOf(decimal subtotal) => Math.Min(InvoiceCalculator.Cents(subtotal * Rate / 100m), subtotal);
    }

    /// <summary>
    /// Reads <c>50.00</c> (at most two decimals, not negative) or <c>10%</c> (0–100, at most four
    /// decimals); anything else is null.
    /// </summary>
    public static InvoiceDiscount? Parse(string text)
    {
        var trimmed = text.Trim();
        var isPercent = trimmed.EndsWith('%');
        var number = isPercent ? trimmed[..^1].TrimEnd() : trimmed;
        // Plain digits and a point only: no signs, exponents, thousands separators or currency symbols.
        if (number.Length == 0 || !number.All(c => char.IsAsciiDigit(c) || c == '.') ||
            !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        return isPercent
            ? (value <= 100m && value.Scale <= 4 ? new Percent(value) : null)
            : (value.Scale <= 2 ? new Fixed(value) : null);
    }
}

/// <summary>One stopped time entry to bill, already known to be billable at an hourly rate.</summary>
public sealed record BillableTime(Guid ProjectId, string ProjectName, Guid? TaskId, string? TaskName, long Seconds, decimal HourlyRate);

/// <summary>A FIXED project's fee, billed as one line.</summary>
public sealed record FixedFee(Guid ProjectId, string ProjectName, decimal Amount);

/// <summary>One billable expense, in the invoice's currency.</summary>
public sealed record BillableExpense(Guid? ProjectId, string Description, decimal Amount);

/// <summary>A priced invoice line (position is its index + 1).</summary>
public sealed record PricedLine(InvoiceLineKind Kind, string Description, Guid? ProjectId, Guid? TaskId, decimal Quantity, decimal UnitPrice, decimal Amount);

public sealed record InvoiceAmounts(IReadOnlyList<PricedLine> Lines, decimal Subtotal, decimal DiscountAmount, decimal TaxAmount, decimal Total);

/// <summary>
/// The invoice arithmetic (resources.md, "Invoices"), pure and exact in <see cref="decimal"/>:
/// each entry rounded up to 15 minutes; one line per project and task; a FIXED project's fee as
/// one line; one line per expense; discount before tax; every amount rounded to the cent, half
/// away from zero.
/// </summary>
public static class InvoiceCalculator
{
    public const int QuarterHourSeconds = 15 * 60;

    /// <summary>Rounds to the cent, half away from zero (108.90425 → 108.90, 0.125 → 0.13).</summary>
    public static decimal Cents(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    /// <summary>An entry's hours, its seconds rounded up to the next quarter hour (1 s → 0.25, 900 s → 0.25, 901 s → 0.50).</summary>
    public static decimal RoundedHours(long seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        var quarters = (seconds + QuarterHourSeconds - 1) / QuarterHourSeconds;
        return quarters * 0.25m;
    }

    public static InvoiceAmounts Calculate(
        IEnumerable<BillableTime> time, IEnumerable<FixedFee> fees, IEnumerable<BillableExpense> expenses, InvoiceDiscount? discount, decimal? taxRate)
    {
        var lines = new List<PricedLine>();
        var feeList = fees.ToList();
        var timeList = time.ToList();

        // Time lines project by project (by name, then id, so equal names stay stable): the fee
        // first, then one line per task, time without a task last.
        var projects = feeList.Select(f => (f.ProjectId, f.ProjectName))
            .Concat(timeList.Select(t => (t.ProjectId, t.ProjectName)))
            .Distinct()
            .OrderBy(p => p.ProjectName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.ProjectId);
        foreach (var (projectId, projectName) in projects)
        {
            foreach (var fee in feeList.Where(f => f.ProjectId == projectId))
            {
                var amount = Cents(fee.Amount);
                lines.Add(new PricedLine(InvoiceLineKind.Time, $"{projectName}: fixed fee", projectId, null, 1m, fee.Amount, amount));
            }

            var groups = timeList.Where(t => t.ProjectId == projectId)
                .GroupBy(t => (t.TaskId, t.TaskName, t.HourlyRate))
                .OrderBy(g => g.Key.TaskId is null)
                .ThenBy(g => g.Key.TaskName, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Key.TaskId).ThenBy(g => g.Key.HourlyRate);
            foreach (var group in groups)
            {
                var hours = group.Sum(t => RoundedHours(t.Seconds));
                var description = group.Key.TaskName is { } taskName ? $"{projectName}: {taskName}" : projectName;
                lines.Add(new PricedLine(InvoiceLineKind.Time, description, projectId, group.Key.TaskId, hours, group.Key.HourlyRate, Cents(hours * group.Key.HourlyRate)));
            }
        }

        foreach (var expense in expenses)
        {
            lines.Add(new PricedLine(InvoiceLineKind.Expense, expense.Description, expense.ProjectId, null, 1m, expense.Amount, Cents(expense.Amount)));
        }

        return Totals(lines, discount, taxRate);
    }

    /// <summary>Subtotal, discount (before tax, capped at the subtotal), tax on (subtotal − discount), total.</summary>
    public static InvoiceAmounts Totals(IReadOnlyList<PricedLine> lines, InvoiceDiscount? discount, decimal? taxRate)
    {
        var subtotal = lines.Sum(l => l.Amount);
        var discountAmount = discount?.AmountOf(subtotal) ?? 0m;
        var taxable = subtotal - discountAmount;
        var tax = taxRate is { } rate ? Cents(taxable * rate / 100m) : 0m;
        return new InvoiceAmounts(lines, subtotal, discountAmount, tax, taxable + tax);
    }
}
