using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Projects;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Infrastructure.OpenApi;
using Hoursmith.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Expenses;

/// <summary>Expenses: Owners, Admins and Managers only (Members have no access at all).</summary>
public static class ExpenseEndpoints
{
    internal static readonly ListSpec<Expense> List = new ListSpec<Expense>("expenses", e => e.CreatedAt, e => e.UpdatedAt)
        .SortBy("amount", e => e.Amount)
        .SortBy("expenseDate", e => e.ExpenseDate)
        .Search("description and customCategory", e => e.Description, e => e.CustomCategory)
        .TextFilter("clientName", "Only expenses whose client's name contains this (any case).", e => e.Client.Name)
        .IdFilter("clientId", e => e.ClientId)
        .IdFilter("projectId", e => e.ProjectId)
        .EnumFilter("category", e => e.Category)
        .BoolFilter("billable", e => e.Billable)
        .DateRange("expenseDate", e => e.ExpenseDate)
        .AmountRange("amount", e => e.Amount);

    public static IEndpointRouteBuilder MapExpenseEndpoints(this IEndpointRouteBuilder api)
    {
        var expenses = api.MapGroup("/expenses").WithTags("Expenses");
        expenses.MapGet("", ListExpenses).RequirePermission(ApiResource.Expenses, ApiAction.Read).WithList(List).WithName("ListExpenses").WithSummary("List expenses").WithDescription("Lists expenses, newest first.");
        expenses.MapPost("", CreateExpense).RequirePermission(ApiResource.Expenses, ApiAction.Write).WithName("CreateExpense")
            .WithSummary("Create an expense")
            .WithDescription("Creates an expense in the client's currency.");
        expenses.MapGet("/{id:guid}", GetExpense).RequirePermission(ApiResource.Expenses, ApiAction.Read).WithName("GetExpense").WithSummary("Get an expense").WithDescription("One expense.");
        expenses.MapPatch("/{id:guid}", UpdateExpense).RequirePermission(ApiResource.Expenses, ApiAction.Write).WithName("UpdateExpense")
            .WithSummary("Update an expense")
            .WithDescription("Updates the fields sent; rules are checked on the merged result. 409 once billed.")
            .ProducesConflict("the expense is billed (on an invoice)");
        expenses.MapDelete("/{id:guid}", DeleteExpense).RequirePermission(ApiResource.Expenses, ApiAction.Write).WithName("DeleteExpense")
            .WithSummary("Delete an expense")
            .WithDescription("Soft-deletes an expense. 409 once billed.")
            .ProducesConflict("the expense is billed (on an invoice)");
        return api;
    }

    internal static Task<Results<Ok<ListEnvelope<ExpenseView>>, ApiErrorResult>> ListExpenses(
        ListQuery query, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        query.PageAsync(List, InWorkspace(db, caller).AsNoTracking(), caller, ExpenseView.From, cancellationToken);

    internal static async Task<Results<Created<DataEnvelope<ExpenseView>>, ApiErrorResult>> CreateExpense(
        JsonBody<ExpenseInput> body, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // Currency is filled in from the client by ApplyAsync.
        var expense = new Expense { WorkspaceId = caller.WorkspaceId, Description = "", Currency = "", CreatedAt = now, UpdatedAt = now };
        var validator = new FieldValidator();
        await ApplyAsync(body, expense, caller, db, validator, creating: true, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        db.Expenses.Add(expense);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/expenses/{expense.Id}", new DataEnvelope<ExpenseView>(ExpenseView.From(expense)));
    }

    internal static async Task<Results<Ok<DataEnvelope<ExpenseView>>, ApiErrorResult>> GetExpense(
        Guid id, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        await InWorkspace(db, caller).AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken) is { } expense
            ? TypedResults.Ok(new DataEnvelope<ExpenseView>(ExpenseView.From(expense)))
            : ApiErrors.NotFound("Expense not found.");

    internal static async Task<Results<Ok<DataEnvelope<ExpenseView>>, ApiErrorResult>> UpdateExpense(
        Guid id, JsonBody<ExpenseInput> body, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var expense = await InWorkspace(db, caller).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (expense is null)
        {
            return ApiErrors.NotFound("Expense not found.");
        }

        if (expense.InvoiceId is not null)
        {
            return Locked();
        }

        var validator = new FieldValidator();
        await ApplyAsync(body, expense, caller, db, validator, creating: false, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        expense.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<ExpenseView>(ExpenseView.From(expense)));
    }

    internal static async Task<Results<NoContent, ApiErrorResult>> DeleteExpense(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var expense = await InWorkspace(db, caller).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (expense is null)
        {
            return ApiErrors.NotFound("Expense not found.");
        }

        if (expense.InvoiceId is not null)
        {
            return Locked();
        }

        expense.DeletedAt = expense.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static IQueryable<Expense> InWorkspace(HoursmithDb db, Caller caller) => db.Expenses.Where(e => e.WorkspaceId == caller.WorkspaceId);

    // The lock is a state of the row, not a permission: it applies to Owners too.
    private static ApiErrorResult Locked() => ApiErrors.Conflict("Billed expenses are locked; cancel or delete the invoice to release them.");

    /// <summary>One path for create and PATCH; the project–client rule runs on the merged result.</summary>
    private static async Task ApplyAsync(
        JsonBody<ExpenseInput> body, Expense expense, Caller caller, HoursmithDb db, FieldValidator v, bool creating, CancellationToken cancellationToken)
    {
        var input = body.Value;

        // Read-only fields are refused rather than silently ignored, so a client never believes it changed them.
        foreach (var readOnly in new[] { "currency", "invoiceId" })
        {
            if (body.HasReadOnly(readOnly))
            {
                v.Fail(readOnly, "read_only");
            }
        }

        if (body.Applies(sent => sent.ClientId, creating) && v.Uuid("clientId", input.ClientId, required: true) is { } clientId)
        {
            var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clientId && c.WorkspaceId == caller.WorkspaceId, cancellationToken);
            if (client is null)
            {
                v.Fail("clientId", "not_found");
            }
            else if (creating)
            {
                expense.ClientId = client.Id;
                expense.Currency = client.Currency;
            }
            else if (client.Currency != expense.Currency)
            {
                // The amount is in the snapshotted currency; relabelling it would change its value.
                v.Fail("clientId", "currency_mismatch");
            }
            else
            {
                expense.ClientId = client.Id;
            }
        }

        Project? project = null;
        if (body.Applies(sent => sent.ProjectId, creating))
        {
            expense.ProjectId = v.Uuid("projectId", input.ProjectId);
            if (expense.ProjectId is { } projectId)
            {
                project = await ProjectAccess.Visible(db, caller).AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken);
                if (project is null)
                {
                    v.Fail("projectId", "not_found");
                }
            }
        }

        if (body.Has(sent => sent.Category)) expense.Category = v.Enum<ExpenseCategory>("category", input.Category, required: true) ?? expense.Category;
        if (body.Applies(sent => sent.CustomCategory, creating)) expense.CustomCategory = v.Text("customCategory", input.CustomCategory, 100);
        if (body.Applies(sent => sent.Description, creating)) expense.Description = v.Text("description", input.Description, 500, required: true) ?? "";
        if (body.Applies(sent => sent.Amount, creating)) expense.Amount = v.DecimalNumber("amount", input.Amount, maxDecimals: 2, positive: true, required: true) ?? expense.Amount;
        if (body.Applies(sent => sent.Billable, creating)) expense.Billable = input.Billable ?? true;
        if (body.Applies(sent => sent.ExpenseDate, creating)) expense.ExpenseDate = v.Date("expenseDate", input.ExpenseDate, required: true) ?? expense.ExpenseDate;

        // Merged result: the project (new or kept) must belong to the client (new or kept).
        var idsValid = !v.Errors.ContainsKey("clientId") && !v.Errors.ContainsKey("projectId");
        if (idsValid && expense.ProjectId is { } mergedProjectId && (body.Applies(sent => sent.ClientId, creating) || body.Applies(sent => sent.ProjectId, creating)))
        {
            // A kept project may have been deleted since; it still names its client.
            var projectClientId = project?.ClientId ?? await db.Projects.IgnoreQueryFilters()
                .Where(p => p.Id == mergedProjectId).Select(p => (Guid?)p.ClientId).FirstOrDefaultAsync(cancellationToken);
            if (projectClientId != expense.ClientId)
            {
                v.Fail("projectId", "not_of_client");
            }
        }

        if (expense.CustomCategory is not null && expense.Category != ExpenseCategory.Other && !v.Errors.ContainsKey("category"))
        {
            v.Fail("customCategory", "only_for_other");
        }
    }
}
