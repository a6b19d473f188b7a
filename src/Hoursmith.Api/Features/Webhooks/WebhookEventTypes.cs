namespace Hoursmith.Api.Features.Webhooks;

/// <summary>The event types of v1 (webhooks.md): an endpoint subscribes to each one explicitly, no wildcards.</summary>
public static class WebhookEventTypes
{
    public const string InvoiceSent = "invoice.sent";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    public const string TimeEntryCreated = "time_entry.created";
    public const string TaskCompleted = "task.completed";
    public const string TaskCreated = "task.created";
    public const string ClientCreated = "client.created";
    public const string ProjectCreated = "project.created";

    /// <summary>The type of a test event (<c>POST …/{id}/test</c>): sent to one endpoint, whatever it subscribes to.</summary>
    public const string Test = "webhook.test";

    public static IReadOnlyList<string> All { get; } =
        [InvoiceSent, InvoicePaid, InvoicePaymentFailed, TimeEntryCreated, TaskCompleted, TaskCreated, ClientCreated, ProjectCreated];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);

    /// <summary>The stored form: sorted, with a leading and trailing comma, so one type is a <c>LIKE '%,type,%'</c>.</summary>
    public static string Store(IEnumerable<string> types) => "," + string.Join(',', types.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + ",";

    public static IReadOnlyList<string> Read(string stored) => stored.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>What a stored list contains for <paramref name="type"/> (<see cref="Store"/>).</summary>
    public static string Marker(string type) => "," + type + ",";
}
