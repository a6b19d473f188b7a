using Hoursmith.Api.Administration;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Invoices;

/// <summary>What <c>invoices create</c> asks for. Null options take the client's defaults.</summary>
/// <param name="From">First entry/expense date gathered (inclusive).</param>
/// <param name="To">Last entry/expense date gathered (inclusive).</param>
/// <param name="TaxRate">Percent; default the client's defaultTaxRate.</param>
/// <param name="DueDate">Default: issue date + the client's defaultPaymentTerms (NET_30: 30 days), if it has terms.</param>
public sealed record NewInvoice(
    Guid WorkspaceId,
    Guid ClientId,
    DateOnly? From = null,
    DateOnly? To = null,
    bool IncludeExpenses = true,
    InvoiceDiscount? Discount = null,
    decimal? TaxRate = null,
    DateOnly? DueDate = null);

/// <summary>
/// How invoices come to exist and move on (operations.md, <c>invoices create|send|pay|cancel</c>),
/// shared by the CLI, the demo seed and the tests. Each operation is one transaction; a refusal is
/// an <see cref="AdministrationException"/> and leaves nothing behind.
/// </summary>
/// <summary>A payment as webhook events show it beside the invoice (<c>data.payment</c>).</summary>
/// <param name="Status">succeeded or failed.</param>
/// <param name="Reason">Why a payment failed, as the payer's side said it.</param>
public sealed record PaymentView([property: Infrastructure.Json.Money] decimal Amount, string Currency, string Status, string? Reason, DateTime CreatedAt);

public sealed class Invoicing(HoursmithDb db, WebhookOutbox outbox, TimeProvider time)
{
    public const string MonthlyLimitMessage = "This workspace has reached its monthly invoice limit.";

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// A DRAFT of the client's billable, un-invoiced, stopped time (and, unless excluded, its
    /// billable, unbilled expenses in the client's currency). The gathered entries and expenses
    /// point at the draft from now on, so they are locked and no second draft can bill them.
    /// </summary>
    public async Task<Invoice> CreateAsync(NewInvoice request, CancellationToken cancellationToken = default)
    {
        if (request.From is { } from && request.To is { } to && from > to)
        {
            throw new AdministrationException("--from must not be after --to.", isInvalidInput: true);
        }

        if (request.TaxRate is { } rate && (rate < 0 || rate > 100 || rate.Scale > 4))
        {
            throw new AdministrationException("--tax-rate must be a percentage from 0 to 100 with at most four decimals.", isInvalidInput: true);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var number = await NextNumberAsync(request.WorkspaceId, cancellationToken);
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Id == request.ClientId && c.WorkspaceId == request.WorkspaceId, cancellationToken)
            ?? throw new AdministrationException($"Client {request.ClientId} is not in workspace {request.WorkspaceId}.");

        var now = Now;
        var today = DateOnly.FromDateTime(now);
        var dueDate = request.DueDate ?? (client.DefaultPaymentTerms is { } terms ? today.AddDays(PaymentTermsDays.Of(terms)) : null);
        if (dueDate < today)
        {
            throw new AdministrationException($"--due must not be before the issue date ({today:yyyy-MM-dd}).", isInvalidInput: true);
        }

        var (entries, billableTime, fees) = await GatherTimeAsync(client, request, cancellationToken);
        var expenses = request.IncludeExpenses ? await GatherExpensesAsync(client, request, cancellationToken) : [];
        if (entries.Count == 0 && expenses.Count == 0)
        {
            var window = request.From is null && request.To is null ? "" : $" between {request.From?.ToString("yyyy-MM-dd") ?? "the start"} and {request.To?.ToString("yyyy-MM-dd") ?? "today"}";
            throw new AdministrationException($"Nothing to invoice: {client.Name} has no billable, un-invoiced time{(request.IncludeExpenses ? " or expenses" : "")}{window}.");
        }

        var amounts = InvoiceCalculator.Calculate(
            billableTime, fees, expenses.Select(e => new BillableExpense(e.ProjectId, e.Description, e.Amount)), request.Discount, request.TaxRate ?? client.DefaultTaxRate);
        var invoice = new Invoice
        {
            WorkspaceId = request.WorkspaceId,
            ClientId = client.Id,
            Number = number,
            Subtotal = amounts.Subtotal,
            DiscountAmount = amounts.DiscountAmount,
            TaxRate = request.TaxRate ?? client.DefaultTaxRate,
            Total = amounts.Total,
            Currency = client.Currency,
            BillToName = client.Name,
            IssueDate = today,
            DueDate = dueDate,
            CreatedAt = now,
            UpdatedAt = now,
        };
        invoice.Lines.AddRange(amounts.Lines.Select((line, index) => new InvoiceLine
        {
            Position = index + 1,
            Kind = line.Kind,
            Description = line.Description.Length <= 500 ? line.Description : line.Description[..500],
            ProjectId = line.ProjectId,
            TaskId = line.TaskId,
            Quantity = line.Quantity,
            UnitPrice = line.UnitPrice,
            Amount = line.Amount,
        }));
        db.Invoices.Add(invoice);
        foreach (var entry in entries)
        {
            entry.InvoiceId = invoice.Id;
            entry.UpdatedAt = now;
        }

        foreach (var expense in expenses)
        {
            expense.InvoiceId = invoice.Id;
            expense.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return invoice;
    }

    /// <summary>DRAFT → SENT within the plan's monthly limit; the bill-to name is taken from the client now and frozen with the prices.</summary>
    public async Task<Invoice> SendAsync(Guid invoiceId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invoice = await FindLockedAsync(invoiceId, cancellationToken);
        if (invoice.Status != InvoiceStatus.Draft)
        {
            throw new AdministrationException($"Invoice {invoice.Number} is {Describe(invoice.Status)}; only drafts can be sent.");
        }

        var now = Now;
        var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var nextMonth = monthStart.AddMonths(1);
        var plan = await db.Workspaces.Where(w => w.Id == invoice.WorkspaceId).Select(w => w.Plan).SingleAsync(cancellationToken);
        // Every invoice sent this month counts, including any cancelled since: sending is what the plan limits.
        var sentThisMonth = await db.Invoices.CountAsync(i => i.WorkspaceId == invoice.WorkspaceId && i.SentAt >= monthStart && i.SentAt < nextMonth, cancellationToken);
        if (sentThisMonth >= Workspace.MonthlyInvoiceLimit(plan))
        {
            throw new AdministrationException(MonthlyLimitMessage);
        }

        invoice.BillToName = await db.Clients.IgnoreQueryFilters().Where(c => c.Id == invoice.ClientId).Select(c => c.Name).SingleOrDefaultAsync(cancellationToken)
            ?? invoice.BillToName;
        invoice.Status = InvoiceStatus.Sent;
        invoice.SentAt = invoice.UpdatedAt = now;
        await outbox.RecordAsync(db, invoice.WorkspaceId, WebhookEventTypes.InvoiceSent, invoice, () => new { invoice = View(invoice) }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return invoice;
    }

    /// <summary>Records a payment on a sent invoice: partial → partially_paid; the full balance → PAID.</summary>
    public async Task<Invoice> PayAsync(Guid invoiceId, decimal amount, CancellationToken cancellationToken = default)
    {
        if (amount <= 0 || amount.Scale > 2)
        {
            throw new AdministrationException("--amount must be more than 0 with at most two decimals.", isInvalidInput: true);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invoice = await FindLockedAsync(invoiceId, cancellationToken);
        if (invoice.Status != InvoiceStatus.Sent)
        {
            throw new AdministrationException($"Invoice {invoice.Number} is {Describe(invoice.Status)}; payments are recorded on sent invoices only.");
        }

        var balance = invoice.Total - invoice.AmountPaid;
        if (amount > balance)
        {
            throw new AdministrationException($"{amount:0.00} is more than the balance of invoice {invoice.Number} ({balance:0.00} {invoice.Currency}).");
        }

        var now = Now;
        invoice.AmountPaid += amount;
        invoice.UpdatedAt = now;
        if (invoice.AmountPaid == invoice.Total)
        {
            invoice.Status = InvoiceStatus.Paid;
            invoice.PaymentStatus = PaymentStatus.Paid;
            invoice.PaidAt = now;
            var payment = new PaymentView(amount, invoice.Currency, "succeeded", null, now);
            await outbox.RecordAsync(db, invoice.WorkspaceId, WebhookEventTypes.InvoicePaid, invoice, () => new { invoice = View(invoice), payment }, cancellationToken);
        }
        else
        {
            invoice.PaymentStatus = PaymentStatus.PartiallyPaid;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return invoice;
    }

    /// <summary>
    /// Records a payment attempt on a sent invoice that failed (a declined card, a returned transfer): the
    /// invoice does not change; <c>invoice.payment_failed</c> tells the workspace's systems.
    /// </summary>
    public async Task<Invoice> RecordFailedPaymentAsync(Guid invoiceId, decimal amount, string? reason, CancellationToken cancellationToken = default)
    {
        if (amount <= 0 || amount.Scale > 2)
        {
            throw new AdministrationException("--amount must be more than 0 with at most two decimals.", isInvalidInput: true);
        }

        if (reason is { Length: > 500 })
        {
            throw new AdministrationException("--reason must be at most 500 characters.", isInvalidInput: true);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invoice = await FindLockedAsync(invoiceId, cancellationToken);
        if (invoice.Status != InvoiceStatus.Sent)
        {
            throw new AdministrationException($"Invoice {invoice.Number} is {Describe(invoice.Status)}; payments are attempted on sent invoices only.");
        }

        var payment = new PaymentView(amount, invoice.Currency, "failed", string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), Now);
        await outbox.RecordAsync(db, invoice.WorkspaceId, WebhookEventTypes.InvoicePaymentFailed, invoice, () => new { invoice = View(invoice), payment }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return invoice;
    }

    /// <summary>The invoice as <c>GET /api/v1/invoices/{id}</c> returns it.</summary>
    private InvoiceView View(Invoice invoice) => InvoiceView.From(invoice, DateOnly.FromDateTime(Now));

    /// <summary>DRAFT or SENT → CANCELLED: its time entries and expenses are released; the number stays taken.</summary>
    public async Task<Invoice> CancelAsync(Guid invoiceId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invoice = await FindLockedAsync(invoiceId, cancellationToken);
        if (invoice.Status is InvoiceStatus.Paid or InvoiceStatus.Cancelled)
        {
            throw new AdministrationException(invoice.Status == InvoiceStatus.Paid
                ? $"Invoice {invoice.Number} is paid; a paid invoice cannot be cancelled."
                : $"Invoice {invoice.Number} is already cancelled.");
        }

        var now = Now;
        invoice.Status = InvoiceStatus.Cancelled;
        invoice.UpdatedAt = now;
        await ReleaseAsync(invoice, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return invoice;
    }

    /// <summary>
    /// Deletes a DRAFT (soft: <c>deletedAt</c> is set and <c>includeDeleted=true</c> still lists it): its
    /// time entries and expenses are released; the number stays taken. Anything sent is cancelled instead.
    /// </summary>
    public async Task<Invoice> DeleteDraftAsync(Guid invoiceId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invoice = await FindLockedAsync(invoiceId, cancellationToken);
        if (invoice.Status != InvoiceStatus.Draft)
        {
            throw new AdministrationException($"Invoice {invoice.Number} is {WireEnum<InvoiceStatus>.Format(invoice.Status)}; only a draft can be deleted (cancel a sent one).");
        }

        var now = Now;
        invoice.DeletedAt = invoice.UpdatedAt = now;
        await ReleaseAsync(invoice, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return invoice;
    }

    /// <summary>Unties the invoice's time entries and expenses, deleted ones too: nothing may stay tied to it.</summary>
    private async Task ReleaseAsync(Invoice invoice, DateTime now, CancellationToken cancellationToken)
    {
        await db.TimeEntries.IgnoreQueryFilters().Where(e => e.InvoiceId == invoice.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.InvoiceId, (Guid?)null).SetProperty(e => e.UpdatedAt, now), cancellationToken);
        await db.Expenses.IgnoreQueryFilters().Where(e => e.InvoiceId == invoice.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.InvoiceId, (Guid?)null).SetProperty(e => e.UpdatedAt, now), cancellationToken);
    }

    /// <summary>
    /// The next number from the workspace's sequence. The increment is one UPDATE, so it also holds
    /// the workspace row for the rest of the transaction: invoicing in a workspace is serialized
    /// (two drafts cannot gather the same hour), and a refused create rolls the number back.
    /// </summary>
    private async Task<string> NextNumberAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var bumped = await db.Workspaces.Where(w => w.Id == workspaceId)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.InvoiceSequence, w => w.InvoiceSequence + 1), cancellationToken);
            if (bumped == 0)
            {
                throw new AdministrationException($"Workspace {workspaceId} does not exist.");
            }

            var next = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId)
                .Select(w => new { w.InvoicePrefix, w.InvoiceSequence }).SingleAsync(cancellationToken);
            var number = $"{next.InvoicePrefix}{next.InvoiceSequence:D4}";
            // A prefix changed since may collide with an older number; numbers are never reused, so skip it.
            // Deleted drafts keep their numbers too.
            if (!await db.Invoices.IgnoreQueryFilters().AnyAsync(i => i.WorkspaceId == workspaceId && i.Number == number, cancellationToken))
            {
                return number;
            }
        }
    }

    /// <summary>The invoice with its lines, its workspace row held for this transaction (see <see cref="NextNumberAsync"/>).</summary>
    private async Task<Invoice> FindLockedAsync(Guid invoiceId, CancellationToken cancellationToken)
    {
        var workspaceId = await db.Invoices.Where(i => i.Id == invoiceId).Select(i => (Guid?)i.WorkspaceId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new AdministrationException($"Invoice {invoiceId} does not exist.");
        // A no-op write that takes the workspace row's lock, so balances and the monthly count are read under it.
        await db.Workspaces.Where(w => w.Id == workspaceId)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.InvoiceSequence, w => w.InvoiceSequence), cancellationToken);
        return await db.Invoices.Include(i => i.Lines).SingleAsync(i => i.Id == invoiceId, cancellationToken);
    }

    /// <summary>
    /// The client's billable, un-invoiced, stopped entries on its billable projects, priced: HOURLY at
    /// the project's rate (else the client's defaultRate); FIXED as one fee line, billed once per
    /// project, with its entries attached without a price of their own.
    /// </summary>
    private async Task<(List<TimeEntry> Entries, List<BillableTime> Time, List<FixedFee> Fees)> GatherTimeAsync(
        Client client, NewInvoice request, CancellationToken cancellationToken)
    {
        var projects = await db.Projects.AsNoTracking()
            .Where(p => p.WorkspaceId == client.WorkspaceId && p.ClientId == client.Id && p.RateType != RateType.NonBillable)
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        var projectIds = projects.Keys.ToList();
        var query = db.TimeEntries.Where(e => e.WorkspaceId == client.WorkspaceId && projectIds.Contains(e.ProjectId) && e.InvoiceId == null && e.Billable
            && e.DurationSeconds > 0 && (e.StartedAt == null || e.StoppedAt != null));
        if (request.From is { } from)
        {
            query = query.Where(e => e.EntryDate >= from);
        }

        if (request.To is { } to)
        {
            query = query.Where(e => e.EntryDate <= to);
        }

        var entries = await query.OrderBy(e => e.EntryDate).ThenBy(e => e.Id).ToListAsync(cancellationToken);

        // A fee already on a live (not cancelled) invoice is not billed again, nor is later time on that project.
        var fixedIds = entries.Select(e => e.ProjectId).Distinct().Where(id => projects[id].RateType == RateType.Fixed).ToList();
        HashSet<Guid> feeBilled = fixedIds.Count == 0 ? [] : (await db.Invoices.Where(i => i.Status != InvoiceStatus.Cancelled)
            .SelectMany(i => i.Lines)
            .Where(l => l.Kind == InvoiceLineKind.Time && l.ProjectId != null && fixedIds.Contains(l.ProjectId.Value))
            .Select(l => l.ProjectId!.Value).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        entries.RemoveAll(e => feeBilled.Contains(e.ProjectId));

        var unpriced = entries.Select(e => projects[e.ProjectId])
            .Where(p => p.RateType == RateType.Hourly && (p.HourlyRate ?? client.DefaultRate) is null)
            .DistinctBy(p => p.Id).Select(p => $"'{p.Name}'").ToList();
        if (unpriced.Count > 0)
        {
            throw new AdministrationException(
                $"Cannot price the time on {string.Join(", ", unpriced)}: set the project's hourlyRate or the client's defaultRate first.");
        }

        var taskIds = entries.Where(e => e.TaskId is not null).Select(e => e.TaskId!.Value).Distinct().ToList();
        var taskNames = await db.Tasks.IgnoreQueryFilters().Where(t => taskIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var hourly = new List<BillableTime>();
        var fees = new List<FixedFee>();
        foreach (var entry in entries)
        {
            var project = projects[entry.ProjectId];
            if (project.RateType == RateType.Hourly)
            {
                var taskName = entry.TaskId is { } taskId ? taskNames.GetValueOrDefault(taskId) : null;
                hourly.Add(new BillableTime(project.Id, project.Name, entry.TaskId, taskName, entry.DurationSeconds!.Value, (project.HourlyRate ?? client.DefaultRate)!.Value));
            }
            else if (fees.All(f => f.ProjectId != project.Id))
            {
                fees.Add(new FixedFee(project.Id, project.Name, project.FixedFeeAmount ?? 0m));
            }
        }

        return (entries, hourly, fees);
    }

    private async Task<List<Expense>> GatherExpensesAsync(Client client, NewInvoice request, CancellationToken cancellationToken)
    {
        // Only the client's currency: an invoice has one currency and nothing is converted.
        var query = db.Expenses.Where(e => e.WorkspaceId == client.WorkspaceId && e.ClientId == client.Id && e.Billable && e.InvoiceId == null && e.Currency == client.Currency);
        if (request.From is { } from)
        {
            query = query.Where(e => e.ExpenseDate >= from);
        }

        if (request.To is { } to)
        {
            query = query.Where(e => e.ExpenseDate <= to);
        }

        return await query.OrderBy(e => e.ExpenseDate).ThenBy(e => e.Id).ToListAsync(cancellationToken);
    }

    private static string Describe(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Draft => "a draft",
        InvoiceStatus.Sent => "already sent",
        InvoiceStatus.Paid => "paid",
        _ => "cancelled",
    };
}
