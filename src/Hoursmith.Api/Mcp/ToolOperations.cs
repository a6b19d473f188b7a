namespace Hoursmith.Api.Mcp;

/// <summary>What a tool does to the workspace, which sets its annotations (mcp.md).</summary>
public enum ToolKind
{
    /// <summary>list_* and get_*: <c>readOnlyHint</c>.</summary>
    Read,

    /// <summary>create_*, update_*, start_timer, stop_timer: <c>idempotentHint: false</c>.</summary>
    Write,

    /// <summary>The five ⚠ tools (delete_*, archive_*): <c>destructiveHint</c>.</summary>
    Destructive,
}

/// <summary>
/// One MCP tool and the one REST operation it is (mcp.md, "Tools"): its method and path under
/// <c>/api/v1</c>. Descriptions and schemas come from that operation in the OpenAPI document
/// (<see cref="ToolCatalog"/>); <see cref="Guidance"/> adds only what an assistant needs beyond it.
/// </summary>
public sealed record ToolOperation(string Name, ToolKind Kind, string Method, string Path, string? Guidance = null)
{
    /// <summary>start_timer: POST /time-entries with <c>startedAt</c> = now and only the fields a timer takes.</summary>
    public bool StartsTimer => Name == ToolOperations.StartTimer;

    /// <summary>stop_timer: the <c>id</c> is optional and defaults to the caller's running timer.</summary>
    public bool StopsTimer => Name == ToolOperations.StopTimer;
}

/// <summary>The 31 documented tools plus start_timer and stop_timer, in the docs' order.</summary>
public static class ToolOperations
{
    public const string StartTimer = "start_timer";
    public const string StopTimer = "stop_timer";

    private const string Money = " Money amounts and rates are decimal strings such as \"120.00\", never numbers.";
    private const string MemberMoney = " A Member's token never receives money fields (rates, amounts, budgets).";
    private const string Lists = " Results come in pages: pass the answer's pagination.nextCursor as cursor, with the same sort, search and filters, for the next page.";
    private const string Patch = " Send only the fields to change; null clears an optional field.";
    private const string OneTimer = " Each person has at most one running timer: starting a timer stops their running one (it is kept as a normal entry).";

    /// <summary>The fields start_timer passes on to POST /time-entries; the rest of a timer is set by starting and stopping it.</summary>
    public static readonly IReadOnlyList<string> TimerFields = ["projectId", "taskId", "userId", "billable", "note"];

    public static readonly IReadOnlyList<ToolOperation> All =
    [
        new("get_me", ToolKind.Read, "GET", "/me", "Call this first: who the token belongs to (member, role, workspace), its scopes, and for a Member the ids of their projects."),
        new("get_organization", ToolKind.Read, "GET", "/organization"),

        new("list_clients", ToolKind.Read, "GET", "/clients", Lists + MemberMoney),
        new("get_client", ToolKind.Read, "GET", "/clients/{id}"),
        new("create_client", ToolKind.Write, "POST", "/clients", Money),
        new("update_client", ToolKind.Write, "PATCH", "/clients/{id}", Patch + Money),
        new("delete_client", ToolKind.Destructive, "DELETE", "/clients/{id}", "list_clients with includeDeleted=true still shows it, with deletedAt."),

        new("list_projects", ToolKind.Read, "GET", "/projects", "Use search to find a project by (part of) its name, e.g. search=\"site\"." + Lists + MemberMoney),
        new("get_project", ToolKind.Read, "GET", "/projects/{id}", MemberMoney),
        new("create_project", ToolKind.Write, "POST", "/projects", Money),
        new("update_project", ToolKind.Write, "PATCH", "/projects/{id}", Patch + Money),
        new("archive_project", ToolKind.Destructive, "POST", "/projects/{id}/archive"),

        new("list_tasks", ToolKind.Read, "GET", "/tasks", Lists),
        new("get_task", ToolKind.Read, "GET", "/tasks/{id}"),
        new("create_task", ToolKind.Write, "POST", "/tasks", Money),
        new("update_task", ToolKind.Write, "PATCH", "/tasks/{id}", Patch + Money),
        new("archive_task", ToolKind.Destructive, "POST", "/tasks/{id}/archive"),

        new("list_time_entries", ToolKind.Read, "GET", "/time-entries", Lists),
        new("get_time_entry", ToolKind.Read, "GET", "/time-entries/{id}"),
        new("get_running_timer", ToolKind.Read, "GET", "/time-entries/running", "data is null when no timer runs."),
        new("create_time_entry", ToolKind.Write, "POST", "/time-entries", "To log finished work send durationSeconds (or duration) and entryDate; to start a timer prefer start_timer." + OneTimer),
        new("update_time_entry", ToolKind.Write, "PATCH", "/time-entries/{id}", Patch),
        new("delete_time_entry", ToolKind.Destructive, "DELETE", "/time-entries/{id}"),

        new("list_expenses", ToolKind.Read, "GET", "/expenses", Lists),
        new("get_expense", ToolKind.Read, "GET", "/expenses/{id}"),
        new("create_expense", ToolKind.Write, "POST", "/expenses", Money),
        new("update_expense", ToolKind.Write, "PATCH", "/expenses/{id}", Patch + Money),
        new("delete_expense", ToolKind.Destructive, "DELETE", "/expenses/{id}"),

        new("list_invoices", ToolKind.Read, "GET", "/invoices", "Invoices are read-only here." + Lists),
        new("get_invoice", ToolKind.Read, "GET", "/invoices/{id}", "Invoices are read-only here."),
        new("list_members", ToolKind.Read, "GET", "/members", "The people of the workspace, to find a userId for a time entry." + Lists),

        new(StartTimer, ToolKind.Write, "POST", "/time-entries",
            "Starts a timer now for the caller (or, for Owners, Admins and Managers, for userId) on a project, optionally a task, with a note. " +
            "Find the project with list_projects(search) first." + OneTimer + " Stop it with stop_timer."),
        new(StopTimer, ToolKind.Write, "POST", "/time-entries/{id}/stop",
            "Stops a running timer: stoppedAt = now, durationSeconds = whole seconds elapsed. Without id it stops the caller's own running timer " +
            "(a tool error not_found when none runs); stopping an entry that is not running returns it unchanged."),
    ];

    public static ToolOperation? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
