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
/// Realistic examples, one studio's data throughout so ids line up: one per request and response record, on its
/// schema; per operation, its request and each success response at its media type (<see cref="DescribeOperationAsync"/>);
/// one error envelope per status, shared (<see cref="AddErrorExample"/>). Spectral checks them against their
/// schemas and OpenApiExampleTests against the closed schemas responses are checked with.
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

    private const string Cursor = "AZOlxCwzfkSfVWp7jJ2uBAGTpcQsM35En1Vqe4ydrgQ7vQ8xk2fPl2hR0Zs8cT1Qm9w";

    /// <summary>
    /// Per operation: its request body (create: the record's example; update: a few fields) and what each success
    /// status answers, built from the records' examples so every operation shows its own case (a page with a
    /// cursor, a stopped timer, an archived project, the fields an update changed).
    /// </summary>
    private static readonly Dictionary<string, (Func<JsonNode>? Request, Dictionary<string, Func<JsonNode>> Responses)> s_operations = new()
    {
        ["ListClients"] = (null, Ok(() => Page<ClientView>())),
        ["CreateClient"] = (Example<ClientInput>, Created(() => Data(View<ClientView>()))),
        ["GetClient"] = (null, Ok(() => Data(View<ClientView>()))),
        ["UpdateClient"] = (ClientPatch, Ok(() => Data(Updated<ClientView>(ClientPatch())))),
        ["ListProjects"] = (null, Ok(() => Page<ProjectView>())),
        ["CreateProject"] = (Example<ProjectInput>, Created(() => Data(View<ProjectView>()))),
        ["GetProject"] = (null, Ok(() => Data(View<ProjectView>()))),
        ["UpdateProject"] = (ProjectPatch, Ok(() => Data(Updated<ProjectView>(ProjectPatch())))),
        ["ArchiveProject"] = (null, Ok(() => Data(Updated<ProjectView>(Parse("""{"status": "ARCHIVED"}"""))))),
        ["ListProjectMembers"] = (null, Ok(() => Page<ProjectMemberView>(cursor: null))),
        ["AddProjectMember"] = (Example<ProjectMemberInput>, new() { ["201"] = () => Data(View<ProjectMemberView>()), ["200"] = () => Data(View<ProjectMemberView>()) }),
        ["ListTasks"] = (null, Ok(() => Page<TaskView>())),
        ["CreateTask"] = (Example<TaskInput>, Created(() => Data(Updated<TaskView>(Parse("""{"status": "TODO", "updatedAt": "2026-11-03T08:02:17Z"}"""))))),
        ["GetTask"] = (null, Ok(() => Data(View<TaskView>()))),
        ["UpdateTask"] = (TaskPatch, Ok(() => Data(Updated<TaskView>(TaskPatch())))),
        ["ListTimeEntries"] = (null, Ok(() => Page<TimeEntryView>())),
        ["CreateTimeEntry"] = (Example<TimeEntryInput>, new() { ["201"] = () => Data(View<TimeEntryView>()), ["200"] = () => Data(RunningEntry()) }),
        ["GetRunningTimeEntry"] = (null, Ok(() => Data(RunningEntry()))),
        ["GetTimeEntry"] = (null, Ok(() => Data(View<TimeEntryView>()))),
        ["UpdateTimeEntry"] = (TimeEntryPatch, Ok(() => Data(Updated<TimeEntryView>(TimeEntryPatch())))),
        ["StopTimeEntry"] = (null, Ok(() => Data(Updated<TimeEntryView>(Parse("""
            {"durationSeconds": 5400, "startedAt": "2026-11-23T14:00:00Z", "stoppedAt": "2026-11-23T15:30:00Z", "running": false,
             "createdAt": "2026-11-23T14:00:00Z", "updatedAt": "2026-11-23T15:30:00Z"}
            """))))),
        ["ListExpenses"] = (null, Ok(() => Page<ExpenseView>())),
        ["CreateExpense"] = (Example<ExpenseInput>, Created(() => Data(View<ExpenseView>()))),
        ["GetExpense"] = (null, Ok(() => Data(View<ExpenseView>()))),
        ["UpdateExpense"] = (ExpensePatch, Ok(() => Data(Updated<ExpenseView>(ExpensePatch())))),
        ["ListInvoices"] = (null, Ok(() => Page<InvoiceView>())),
        ["GetInvoice"] = (null, Ok(() => Data(View<InvoiceView>()))),
        ["ListMembers"] = (null, Ok(() => Page<MemberView>())),
        ["GetMember"] = (null, Ok(() => Data(View<MemberView>()))),
        ["GetOrganization"] = (null, Ok(() => Data(View<OrganizationView>()))),
        ["GetMe"] = (null, Ok(() => Data(View<MeResponse>()))),
        ["ListTokens"] = (null, Ok(() => Page<TokenView>())),
        ["GetToken"] = (null, Ok(() => Data(View<TokenView>()))),
        ["RenameToken"] = (Example<RenameTokenRequest>, Ok(() => Data(Updated<TokenView>(Example<RenameTokenRequest>())))),
        ["ListWebhookEndpoints"] = (null, Ok(() => Page<WebhookEndpointView>(cursor: null))),
        ["CreateWebhookEndpoint"] = (Example<WebhookEndpointInput>, Created(() => Data(View<WebhookEndpointWithSecretView>()))),
        ["GetWebhookEndpoint"] = (null, Ok(() => Data(View<WebhookEndpointView>()))),
        ["UpdateWebhookEndpoint"] = (WebhookPatch, Ok(() => Data(Updated<WebhookEndpointView>(WebhookPatch())))),
        ["RotateWebhookSecret"] = (null, Ok(() => Data(Updated<WebhookEndpointWithSecretView>(Parse("""
            {"secretPrefix": "wsk_Qe81ZtVw", "secret": "wsk_Qe81ZtVwN3yK6pH0dL9sB2mX5rC7fUgo", "updatedAt": "2026-12-02T08:30:00Z"}
            """))))),
        ["SendWebhookTest"] = (null, new() { ["202"] = () => Data(PendingDelivery("webhook.test", eventId: "0193a5db-9daa-7fbb-8acc-d1e234e5f67b")) }),
        ["ListWebhookDeliveries"] = (null, Ok(() => Page<WebhookDeliveryView>())),
        ["ReplayWebhookDelivery"] = (null, new() { ["202"] = () => Data(PendingDelivery("invoice.paid", replayOf: "0193a5d9-7b88-7d99-8eaa-bfc012c3d459")) }),
        ["GetHealth"] = (null, Readiness()),
        ["GetReadiness"] = (null, Readiness()),
        ["GetLiveness"] = (null, new() { ["200"] = () => Parse("""{"status": "ok"}""") }),
    };

    private static Dictionary<string, Func<JsonNode>> Readiness() => new()
    {
        ["200"] = () => Parse("""{"status": "ok", "checks": {"database": "ok", "redis": "ok"}}"""),
        ["503"] = () => Parse("""{"status": "unavailable", "checks": {"database": "unavailable", "redis": "ok"}}"""),
    };

    /// <summary>One example of the error envelope per status, shared by every operation through components/examples.</summary>
    private static readonly Dictionary<int, (string Name, string Summary, string Json)> s_errors = new()
    {
        [400] = ("bad_request", "Malformed request", """{"error": {"code": "bad_request", "message": "limit must be a whole number from 1 to 200.", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [401] = ("unauthenticated", "No valid token", """{"error": {"code": "unauthenticated", "message": "Authentication required: send Authorization: Bearer hsk_…", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [402] = ("forbidden_plan", "Plan lacks API access", """{"error": {"code": "forbidden_plan", "message": "The workspace's plan does not include API access.", "requiredPlan": "studio", "feature": "apiAccess", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [403] = ("forbidden_scope", "Role may not do this", """{"error": {"code": "forbidden_scope", "message": "This token's role may not perform this action.", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [404] = ("not_found", "Not found or not visible", """{"error": {"code": "not_found", "message": "Not found.", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [409] = ("conflict", "Conflict", """{"error": {"code": "conflict", "message": "The time entry is on an invoice and is locked.", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [413] = ("payload_too_large", "Body too large", """{"error": {"code": "payload_too_large", "message": "The request body is larger than 1048576 bytes.", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [415] = ("unsupported_media_type", "Body not JSON", """{"error": {"code": "unsupported_media_type", "message": "The request body must be JSON (Content-Type: application/json).", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [422] = ("validation_error", "Invalid fields", """{"error": {"code": "validation_error", "message": "The request is invalid.", "fields": {"name": "required", "email": "invalid"}, "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [429] = ("rate_limited", "Too many requests", """{"error": {"code": "rate_limited", "message": "Too many requests.", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
        [500] = ("internal", "Unexpected error", """{"error": {"code": "internal", "message": "Something went wrong on our side. Quote the request id if you contact support.", "requestId": "01a24f5e44d77e9bab06d639c9237230"}}"""),
    };

    public static Task TransformSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is null && s_examples.TryGetValue(context.JsonTypeInfo.Type, out var json))
        {
            schema.Examples = [JsonNode.Parse(json)!];
        }

        return Task.CompletedTask;
    }

    /// <summary>The operation's own request and success examples, at its JSON media type.</summary>
    public static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is not { } id || !s_operations.TryGetValue(id, out var examples))
        {
            return Task.CompletedTask;
        }

        if (examples.Request is { } request && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
        {
            body.Example = request();
        }

        foreach (var (status, response) in examples.Responses)
        {
            if (operation.Responses?.TryGetValue(status, out var described) == true && described.Content?.TryGetValue("application/json", out var media) == true)
            {
                media.Example = response();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The shared example of the error envelope for <paramref name="status"/>, referenced from <paramref name="media"/>.</summary>
    public static void AddErrorExample(OpenApiDocument document, int status, OpenApiMediaType media)
    {
        if (!s_errors.TryGetValue(status, out var error))
        {
            return;
        }

        document.Components ??= new OpenApiComponents();
        document.Components.Examples ??= new Dictionary<string, IOpenApiExample>();
        document.Components.Examples.TryAdd(error.Name, new OpenApiExample { Summary = error.Summary, Value = Parse(error.Json) });
        media.Examples ??= new Dictionary<string, IOpenApiExample>();
        media.Examples[error.Name] = new OpenApiExampleReference(error.Name, document);
    }

    private static Dictionary<string, Func<JsonNode>> Ok(Func<JsonNode> body) => new() { ["200"] = body };

    private static Dictionary<string, Func<JsonNode>> Created(Func<JsonNode> body) => new() { ["201"] = body };

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    private static JsonNode Example<T>() => Parse(s_examples[typeof(T)]);

    private static JsonObject View<T>() => Example<T>().AsObject();

    private static JsonObject Data(JsonNode view) => new JsonObject { ["data"] = view };

    /// <summary>A page of one: lists answer newest first, with the cursor of the next page (null on the last).</summary>
    private static JsonObject Page<T>(string? cursor = Cursor) => new JsonObject
    {
        ["data"] = new JsonArray(View<T>()),
        ["pagination"] = new JsonObject { ["limit"] = 50, ["nextCursor"] = cursor },
    };

    /// <summary>The record's example with <paramref name="changes"/> applied, updated a while after it was created.</summary>
    private static JsonObject Updated<T>(JsonNode changes)
    {
        var view = View<T>();
        if (view.ContainsKey("updatedAt"))
        {
            view["updatedAt"] = "2026-12-02T11:47:30Z";
        }

        foreach (var (name, value) in changes.AsObject())
        {
            view[name] = value?.DeepClone();
        }

        return view;
    }

    private static JsonObject RunningEntry() => Updated<TimeEntryView>(Parse("""
        {"durationSeconds": null, "startedAt": "2026-11-23T14:00:00Z", "stoppedAt": null, "running": true,
         "createdAt": "2026-11-23T14:00:00Z", "updatedAt": "2026-11-23T14:00:00Z"}
        """));

    private static JsonNode ClientPatch() => Parse("""{"contactName": "Maria Anders", "defaultPaymentTerms": "NET_30"}""");

    private static JsonNode WebhookPatch() => Parse("""{"events": ["invoice.paid", "invoice.payment_failed", "invoice.sent"], "enabled": true}""");

    /// <summary>A delivery just queued (a test event or a replay): nothing attempted yet.</summary>
    private static JsonObject PendingDelivery(string eventType, string eventId = HookEvent, string? replayOf = null) => Updated<WebhookDeliveryView>(new JsonObject
    {
        ["id"] = "0193a5da-8c99-7eaa-9fbb-c0d123d4e56a",
        ["eventId"] = eventId,
        ["eventType"] = eventType,
        ["status"] = "pending",
        ["attempts"] = 0,
        ["nextAttemptAt"] = "2026-12-02T08:31:00Z",
        ["lastAttemptAt"] = null,
        ["lastResponseStatus"] = null,
        ["lastDurationMs"] = null,
        ["lastResponseSnippet"] = null,
        ["deliveredAt"] = null,
        ["replayOf"] = replayOf,
        ["createdAt"] = "2026-12-02T08:31:00Z",
        ["updatedAt"] = "2026-12-02T08:31:00Z",
    });

    private static JsonNode ProjectPatch() => Parse("""{"hourlyRate": "120.00", "dueDate": "2027-03-12"}""");

    private static JsonNode TaskPatch() => Parse("""{"status": "DONE", "endDate": "2026-11-19"}""");

    private static JsonNode TimeEntryPatch() => Parse("""{"durationSeconds": 6300, "note": "Homepage wireframes, second round and client call"}""");

    private static JsonNode ExpensePatch() => Parse("""{"amount": "59.00", "description": "Stock photo licence, hero and team page"}""");
}
