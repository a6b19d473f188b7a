namespace Hoursmith.Api.Infrastructure.OpenApi;

/// <summary>The document's tags, in the order the reference lists them, each with what it groups.</summary>
public static class ApiTags
{
    public const string Documentation = "Documentation";

    public static IReadOnlyList<(string Name, string Description)> All { get; } =
    [
        ("Me", "The calling token: its workspace, member, role, plan and scopes."),
        ("Organization", "The workspace the token belongs to."),
        ("Members", "The people in the workspace and their roles. Members are managed in the app or the CLI."),
        ("Clients", "The companies you bill: contact and billing details, currency, default rate, payment terms and tax."),
        ("Projects", "Work for one client, billed hourly, as a fixed fee or not at all, with an optional budget and its members."),
        ("Tasks", "Pieces of a project's work, with status, priority, assignees, tags and an estimate."),
        ("Time entries", "Time logged against a project (and optionally a task), as a duration or a running timer."),
        ("Expenses", "Costs to pass on to a client, in the client's currency; locked once invoiced."),
        ("Invoices", "Invoices with their priced lines. Read-only over the API; the app and CLI issue them."),
        ("Webhooks", "Endpoints that receive signed events when things happen (Agency plan; Owners and Admins), and their deliveries: retries, test events and replays."),
        ("Tokens", "Your API tokens: list, rename and revoke them. Minting stays in the app and the CLI."),
        ("Health", "Whether an instance can serve, for load balancers and probes."),
        (Documentation, "This OpenAPI document and its interactive reference."),
    ];
}
