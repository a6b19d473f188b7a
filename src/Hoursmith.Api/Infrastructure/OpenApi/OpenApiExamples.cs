using System.Text.Json.Nodes;
using Hoursmith.Api.Features.Clients;
using Hoursmith.Api.Features.Expenses;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Features.Me;
using Hoursmith.Api.Features.Members;
using Hoursmith.Api.Features.Organization;
using Hoursmith.Api.Features.Projects;
using Hoursmith.Api.Features.Tasks;
using Hoursmith.Api.Features.TimeEntries;
using Hoursmith.Api.Features.Tokens;
using Hoursmith.Api.Features.Webhooks;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hoursmith.Api.Infrastructure.OpenApi;

/// <summary>
/// One realistic example per request and response record, on its schema (so every operation that
/// sends or returns it shows it, envelopes included). One studio's data throughout, so ids line up.
/// Spectral checks each against its schema (OpenApiDocumentTests): a model change that breaks one fails there.
/// </summary>
public static class OpenApiExamples
{
    private const string Org = "0193a5b0-7c1e-7a4b-9c2d-1f0e3d4c5b6a";
    private const string Member = "0193a5b0-7c1f-7b5c-8d3e-2a1b4c5d6e7f";
    private const string Client = "0193a5b1-2f44-7d10-8a9b-3c4d5e6f7a81";
    private const string Project = "0193a5b2-0a11-7c22-9d33-4e5f6a7b8c92";
    private const string TaskId = "0193a5b3-1b22-7d33-8e44-5f6a7b8c9da3";
    private const string Entry = "0193a5c4-2c33-7e44-9f55-6a7b8c9dae04";
    private const string Expense = "0193a5c5-3d44-7f55-8a66-7b8c9dae0f15";
    private const string Invoice = "0193a5c6-4e55-7a66-9b77-8c9dae0f1a26";
    private const string Token = "0193a5b0-8d20-7c6d-9e4f-3b2c5d6e7f80";
    private const string Hook = "0193a5d7-5f66-7b77-8c88-9daef0a1b237";
    private const string HookEvent = "0193a5d8-6a77-7c88-9d99-aebf01b2c348";

    private static readonly Dictionary<Type, string> s_examples = new()
    {
        [typeof(ClientInput)] = """
            {"name": "Northwind Traders", "contactName": "Ana Trujillo", "email": "ana@northwind.example", "currency": "EUR",
             "defaultRate": "95.00", "defaultTaxRate": "19", "billingLine1": "Obere Str. 57", "billingCity": "Berlin",
             "billingPostalCode": "12209", "billingCountry": "Germany", "billingEmail": "accounts@northwind.example"}
            """,
        [typeof(ClientView)] = $$"""
            {"id": "{{Client}}", "orgId": "{{Org}}", "name": "Northwind Traders", "contactName": "Ana Trujillo",
             "email": "ana@northwind.example", "phone": "+49 30 1234567", "website": "https://northwind.example", "currency": "EUR",
             "notes": null, "billingAddress": null, "billingLine1": "Obere Str. 57", "billingLine2": null, "billingCity": "Berlin",
             "billingRegion": null, "billingPostalCode": "12209", "billingCountry": "Germany", "taxNumber": "DE123456789",
             "defaultRate": "95.00", "defaultPaymentTerms": null, "defaultTaxRate": "19.00", "requirePoNumber": false,
             "billingEmail": "accounts@northwind.example", "createdAt": "2026-11-02T09:14:03Z", "updatedAt": "2026-11-02T09:14:03Z", "deletedAt": null}
            """,
        [typeof(ProjectInput)] = $$"""
            {"clientId": "{{Client}}", "name": "Website relaunch", "description": "New marketing site and CMS migration.",
             "color": "#2f6fde", "rateType": "HOURLY", "hourlyRate": "110.00", "budgetHours": "120", "startDate": "2026-11-09", "dueDate": "2027-02-26"}
            """,
        [typeof(ProjectView)] = $$"""
            {"id": "{{Project}}", "orgId": "{{Org}}", "clientId": "{{Client}}", "name": "Website relaunch",
             "description": "New marketing site and CMS migration.", "color": "#2f6fde", "status": "ACTIVE", "rateType": "HOURLY",
             "hourlyRate": "110.00", "fixedFeeAmount": null, "budgetHours": "120.00", "budgetAmount": null,
             "startDate": "2026-11-09", "dueDate": "2027-02-26", "createdAt": "2026-11-02T09:20:41Z", "updatedAt": "2026-11-02T09:20:41Z", "deletedAt": null}
            """,
        [typeof(ProjectMemberInput)] = $$"""{"userId": "{{Member}}"}""",
        [typeof(ProjectMemberView)] = $$"""
            {"projectId": "{{Project}}", "userId": "{{Member}}", "name": "Jonas Weber", "email": "jonas@studio.example", "role": "MEMBER", "addedAt": "2026-11-02T09:21:10Z"}
            """,
        [typeof(TaskInput)] = $$"""
            {"projectId": "{{Project}}", "name": "Homepage wireframes", "priority": "HIGH", "estimatedHours": "12",
             "assigneeIds": ["{{Member}}"], "tags": ["design", "ux"], "startDate": "2026-11-09", "dueDate": "2026-11-20"}
            """,
        [typeof(TaskView)] = $$"""
            {"id": "{{TaskId}}", "orgId": "{{Org}}", "projectId": "{{Project}}", "name": "Homepage wireframes", "description": null,
             "status": "IN_PROGRESS", "priority": "HIGH", "billable": true, "estimatedHours": "12.00", "assigneeIds": ["{{Member}}"],
             "tags": ["design", "ux"], "startDate": "2026-11-09", "dueDate": "2026-11-20", "endDate": null,
             "createdAt": "2026-11-03T08:02:17Z", "updatedAt": "2026-11-10T15:44:09Z", "deletedAt": null}
            """,
        [typeof(TimeEntryInput)] = $$"""
            {"projectId": "{{Project}}", "taskId": "{{TaskId}}", "durationSeconds": 5400, "billable": true,
             "note": "Homepage wireframes, second round after feedback", "entryDate": "2026-11-23"}
            """,
        [typeof(TimeEntryView)] = $$"""
            {"id": "{{Entry}}", "orgId": "{{Org}}", "userId": "{{Member}}", "projectId": "{{Project}}", "taskId": "{{TaskId}}",
             "invoiceId": null, "durationSeconds": 5400, "billable": true, "note": "Homepage wireframes, second round after feedback",
             "entryDate": "2026-11-23", "startedAt": null, "stoppedAt": null, "running": false,
             "createdAt": "2026-11-23T16:05:12Z", "updatedAt": "2026-11-23T16:05:12Z", "deletedAt": null}
            """,
        [typeof(ExpenseInput)] = $$"""
            {"clientId": "{{Client}}", "projectId": "{{Project}}", "category": "SOFTWARE", "description": "Stock photo licence, hero image",
             "amount": "49.00", "billable": true, "expenseDate": "2026-11-18"}
            """,
        [typeof(ExpenseView)] = $$"""
            {"id": "{{Expense}}", "orgId": "{{Org}}", "clientId": "{{Client}}", "projectId": "{{Project}}", "invoiceId": null,
             "category": "SOFTWARE", "customCategory": null, "description": "Stock photo licence, hero image", "amount": "49.00",
             "currency": "EUR", "billable": true, "expenseDate": "2026-11-18",
             "createdAt": "2026-11-18T11:30:00Z", "updatedAt": "2026-11-18T11:30:00Z", "deletedAt": null}
            """,
        [typeof(InvoiceView)] = $$"""
            {"id": "{{Invoice}}", "orgId": "{{Org}}", "clientId": "{{Client}}", "number": "INV-0007", "status": "SENT",
             "paymentStatus": "unpaid", "subtotal": "1039.00", "discountAmount": "0.00", "taxRate": "19.00", "taxAmount": "197.41",
             "total": "1236.41", "amountPaid": "0.00", "currency": "EUR", "notes": "Thank you for your business.",
             "billToName": "Northwind Traders", "issueDate": "2026-12-01", "dueDate": "2026-12-31", "sentAt": "2026-12-01T10:00:00Z",
             "paidAt": null, "overdue": false, "lines": [
               {"position": 1, "kind": "time", "description": "Website relaunch: Homepage wireframes", "projectId": "{{Project}}",
                "taskId": "{{TaskId}}", "quantity": "9.00", "unitPrice": "110.00", "amount": "990.00"},
               {"position": 2, "kind": "expense", "description": "Stock photo licence, hero image", "projectId": "{{Project}}",
                "taskId": null, "quantity": "1", "unitPrice": "49.00", "amount": "49.00"}],
             "createdAt": "2026-12-01T09:55:21Z", "updatedAt": "2026-12-01T10:00:00Z", "deletedAt": null}
            """,
        [typeof(MemberView)] = $$"""
            {"id": "{{Member}}", "orgId": "{{Org}}", "userId": "{{Member}}", "role": "MEMBER", "name": "Jonas Weber",
             "email": "jonas@studio.example", "createdAt": "2026-10-28T13:00:00Z"}
            """,
        [typeof(OrganizationView)] = $$"""
            {"id": "{{Org}}", "name": "Lindqvist Studio", "plan": "studio", "defaultCurrency": "EUR", "invoicePrefix": "INV-",
             "legalName": "Lindqvist Studio GmbH", "taxId": "DE987654321", "businessEmail": "hello@studio.example",
             "businessWebsite": "https://studio.example", "createdAt": "2026-10-28T12:58:40Z"}
            """,
        [typeof(MeResponse)] = $$"""
            {"orgId": "{{Org}}", "orgName": "Lindqvist Studio", "plan": "studio", "role": "OWNER", "tokenName": "Zapier sync",
             "scopes": ["read", "write", "clients:read", "clients:write", "time_entries:read", "time_entries:write"], "projectIds": [],
             "tokenPrefix": "hsk_live_8f3k2m", "tokenEnv": "live",
             "member": {"id": "0193a5b0-7c1d-7a3b-8c1d-0e9f2c3b4a59", "name": "Maja Lindqvist", "email": "maja@studio.example"} }
            """,
        [typeof(RenameTokenRequest)] = """{"name": "Zapier sync (production)"}""",
        [typeof(TokenView)] = $$"""
            {"id": "{{Token}}", "orgId": "{{Org}}", "memberId": "0193a5b0-7c1d-7a3b-8c1d-0e9f2c3b4a59", "name": "Zapier sync",
             "prefix": "hsk_live_8f3k2m", "env": "live", "status": "active", "createdAt": "2026-11-01T08:00:00Z",
             "lastUsedAt": "2026-12-01T10:02:44Z", "expiresAt": null, "revokedAt": null}
            """,
        [typeof(WebhookEndpointInput)] = """
            {"url": "https://hooks.zapier.example/hooks/catch/123456/abcdef/", "description": "Zapier: paid invoices to the ledger",
             "events": ["invoice.paid", "invoice.payment_failed"], "enabled": true}
            """,
        [typeof(WebhookEndpointView)] = $$"""
            {"id": "{{Hook}}", "orgId": "{{Org}}", "url": "https://hooks.zapier.example/hooks/catch/123456/abcdef/",
             "description": "Zapier: paid invoices to the ledger", "events": ["invoice.paid", "invoice.payment_failed"], "enabled": true,
             "status": "active", "secretPrefix": "wsk_7Hq2LmX9", "createdAt": "2026-12-01T09:00:00Z", "updatedAt": "2026-12-01T09:00:00Z", "deletedAt": null}
            """,
        [typeof(WebhookEndpointWithSecretView)] = $$"""
            {"id": "{{Hook}}", "orgId": "{{Org}}", "url": "https://hooks.zapier.example/hooks/catch/123456/abcdef/",
             "description": "Zapier: paid invoices to the ledger", "events": ["invoice.paid", "invoice.payment_failed"], "enabled": true,
             "status": "active", "secretPrefix": "wsk_7Hq2LmX9", "secret": "wsk_7Hq2LmX9vB4nT8cR1kW6zY3pD5sF0gJa",
             "createdAt": "2026-12-01T09:00:00Z", "updatedAt": "2026-12-01T09:00:00Z", "deletedAt": null}
            """,
        [typeof(WebhookDeliveryView)] = $$"""
            {"id": "0193a5d9-7b88-7d99-8eaa-bfc012c3d459", "orgId": "{{Org}}", "endpointId": "{{Hook}}", "eventId": "{{HookEvent}}",
             "eventType": "invoice.paid", "status": "succeeded", "attempts": 2, "nextAttemptAt": null, "lastAttemptAt": "2026-12-01T10:00:05Z",
             "lastResponseStatus": 200, "lastDurationMs": 184, "lastError": null, "lastResponseSnippet": "{\"ok\":true}",
             "deliveredAt": "2026-12-01T10:00:05Z", "replayOf": null, "createdAt": "2026-12-01T10:00:00Z", "updatedAt": "2026-12-01T10:00:05Z"}
            """,
    };

    public static Task TransformSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is null && s_examples.TryGetValue(context.JsonTypeInfo.Type, out var json))
        {
            schema.Examples = [JsonNode.Parse(json)!];
        }

        return Task.CompletedTask;
    }
}
