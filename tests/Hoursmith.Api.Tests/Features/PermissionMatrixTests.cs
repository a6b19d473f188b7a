using System.Reflection;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

/// <summary>
/// Every role × every operation × every target row, with the expected answer computed from the
/// permission table itself: a role without the permission gets 403, a row outside its reach or in
/// another workspace 404 (a create naming such a row: 422 <c>not_found</c>), anything else 2xx.
/// Lists must show exactly the rows the reach allows. No Member response may carry a money field.
/// </summary>
public sealed class PermissionMatrixTests(PermissionWorld world) : IClassFixture<PermissionWorld>
{
    public static TheoryData<Role, string, Target> Cases()
    {
        var data = new TheoryData<Role, string, Target>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var operation in Operations)
            {
                foreach (var target in operation.Targeted ? Enum.GetValues<Target>() : [Target.InReach])
                {
                    data.Add(role, operation.Name, target);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_gets_what_the_permission_table_grants(Role role, string operationName, Target target)
    {
        var operation = Operations.Single(o => o.Name == operationName);
        var row = operation.Row is { } kind ? await world.NewRowAsync(kind, role, target) : Guid.Empty;
        var (method, path, body) = operation.Request(world, role, target, row);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        using var client = world.ClientWith(world.Tokens[role]);
        using var response = await client.SendAsync(request);

        var expected = Expected(role, operation, target);
        switch (expected)
        {
            case Outcome.Forbidden:
                await response.AssertErrorAsync(403, "forbidden_scope");
                break;
            case Outcome.Hidden when operation.Kind == Kind.Create:
                var fields = (await response.AssertErrorAsync(422, "validation_error")).GetProperty("fields");
                Assert.Contains(fields.EnumerateObject(), f => f.Value.GetString() == "not_found");
                break;
            case Outcome.Hidden:
                await response.AssertErrorAsync(404, "not_found");
                break;
            default:
                Assert.True(response.IsSuccessStatusCode, $"{role} {operationName} {target}: expected 2xx, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                break;
        }

        var text = response.Content.Headers.ContentLength == 0 ? "" : await response.Content.ReadAsStringAsync();
        if (role == Role.Member && response.IsSuccessStatusCode && text.Length > 0)
        {
            var leaked = PropertyNames(JsonDocument.Parse(text).RootElement).Intersect(s_moneyFieldNames).ToList();
            Assert.True(leaked.Count == 0, $"{operationName} sent a Member money fields: {string.Join(", ", leaked)}");
        }

        if (operation.Kind == Kind.List && response.IsSuccessStatusCode)
        {
            // A list shows the target row exactly when a single read of it would succeed.
            var listed = JsonDocument.Parse(text).RootElement.GetProperty("data").EnumerateArray().Any(item => item.GetProperty("id").GetGuid() == row);
            var readable = Expected(role, operation with { Kind = Kind.Item }, target) == Outcome.Allowed;
            Assert.True(listed == readable, $"{role} {operationName}: row of target {target} listed={listed}, readable={readable}");
        }
    }

    [Fact]
    public async Task The_money_scan_looks_for_fields_that_others_do_receive()
    {
        Assert.Contains("hourlyRate", s_moneyFieldNames);
        Assert.Contains("amount", s_moneyFieldNames);
        var project = await world.NewRowAsync(RowKind.Project, Role.Owner, Target.InReach);
        using var owner = world.ClientWith(world.Tokens[Role.Owner]);
        using var member = world.ClientWith(world.Tokens[Role.Member]);

        var seenByOwner = (await (await owner.GetAsync($"/api/v1/projects/{project}")).ReadJsonAsync()).GetProperty("data");
        var seenByMember = (await (await member.GetAsync($"/api/v1/projects/{project}")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal("120.00", seenByOwner.GetProperty("hourlyRate").GetString());
        Assert.False(seenByMember.TryGetProperty("hourlyRate", out _));
        Assert.Equal(project, seenByMember.GetProperty("id").GetGuid());
    }

    public enum Target
    {
        /// <summary>A row the narrowest reach includes: a project the Member is on, their own entry, a task assigned to them.</summary>
        InReach,
        /// <summary>A row of the same workspace outside a narrowed reach: another project, someone else's entry.</summary>
        OutOfReach,
        /// <summary>The same kind of row in another workspace.</summary>
        OtherWorkspace,
    }

    private enum Outcome { Allowed, Forbidden, Hidden }

    public enum Kind { List, Item, Create, Singleton }

    private static Outcome Expected(Role role, Operation operation, Target target)
    {
        if (PermissionTable.ReachOf(role, operation.Permission) is not { } reach)
        {
            return Outcome.Forbidden;
        }

        if (operation.Kind is Kind.List or Kind.Singleton)
        {
            return Outcome.Allowed;
        }

        // Rows reached only by assignment (a Member's tasks) are worked on, never created.
        if (reach == Reach.Assigned && operation.Kind == Kind.Create)
        {
            return Outcome.Forbidden;
        }

        if (target == Target.OtherWorkspace)
        {
            return Outcome.Hidden;
        }

        return reach switch
        {
            Reach.Workspace => Outcome.Allowed,
            // An assigned row may be worked on (PATCH), not deleted or archived; one the caller cannot see stays a 404.
            Reach.Assigned when !operation.WorksAssigned => target == Target.InReach ? Outcome.Forbidden : Outcome.Hidden,
            _ => target == Target.InReach ? Outcome.Allowed : Outcome.Hidden,
        };
    }

    public sealed record Operation(
        string Name, ApiResource Resource, ApiAction Action, Kind Kind, RowKind? Row,
        Func<PermissionWorld, Role, Target, Guid, (HttpMethod, string, object?)> Request)
    {
        public Permission Permission => new(Resource, Action);

        /// <summary>Whether the case depends on where its row (or the row a create names) lives.</summary>
        public bool Targeted { get; init; } = Row is not null;

        /// <summary>Whether a reach by assignment allows it (working on an assigned task).</summary>
        public bool WorksAssigned { get; init; }
    }

    private static readonly string s_today = DateTime.UtcNow.ToString("yyyy-MM-dd");

    private static Operation Get(string name, ApiResource resource, string collection, RowKind row, Kind kind = Kind.Item) =>
        new(name, resource, ApiAction.Read, kind, row, (_, _, _, id) => (HttpMethod.Get, kind == Kind.List ? $"/api/v1/{collection}?limit=200" : $"/api/v1/{collection}/{id}", null));

    private static Operation Write(string name, ApiResource resource, HttpMethod method, Func<Guid, string> path, RowKind row, object? body = null) =>
        new(name, resource, ApiAction.Write, Kind.Item, row, (_, _, _, id) => (method, path(id), body));

    private static Operation Create(string name, ApiResource resource, string collection, Func<PermissionWorld, Target, object> body) =>
        new(name, resource, ApiAction.Write, Kind.Create, null, (w, _, target, _) => (HttpMethod.Post, $"/api/v1/{collection}", body(w, target))) { Targeted = true };

    public static readonly Operation[] Operations =
    [
        Get("ListClients", ApiResource.Clients, "clients", RowKind.Client, Kind.List),
        Get("GetClient", ApiResource.Clients, "clients", RowKind.Client),
        new("CreateClient", ApiResource.Clients, ApiAction.Write, Kind.Create, null, (_, _, _, _) => (HttpMethod.Post, "/api/v1/clients", new { name = "Matrix client" })),
        Write("UpdateClient", ApiResource.Clients, HttpMethod.Patch, id => $"/api/v1/clients/{id}", RowKind.Client, new { name = "Renamed" }),
        Write("DeleteClient", ApiResource.Clients, HttpMethod.Delete, id => $"/api/v1/clients/{id}", RowKind.Client),

        Get("ListProjects", ApiResource.Projects, "projects", RowKind.Project, Kind.List),
        Get("GetProject", ApiResource.Projects, "projects", RowKind.Project),
        Create("CreateProject", ApiResource.Projects, "projects", (w, t) => new { clientId = w.ClientOf(t), name = "Matrix project" }),
        Write("UpdateProject", ApiResource.Projects, HttpMethod.Patch, id => $"/api/v1/projects/{id}", RowKind.Project, new { name = "Renamed" }),
        Write("DeleteProject", ApiResource.Projects, HttpMethod.Delete, id => $"/api/v1/projects/{id}", RowKind.Project),
        Write("ArchiveProject", ApiResource.Projects, HttpMethod.Post, id => $"/api/v1/projects/{id}/archive", RowKind.Project),
        new("ListProjectMembers", ApiResource.Projects, ApiAction.Read, Kind.Item, RowKind.Project, (_, _, _, id) => (HttpMethod.Get, $"/api/v1/projects/{id}/members", null)),
        new("AddProjectMember", ApiResource.Projects, ApiAction.Write, Kind.Item, RowKind.Project, (w, _, _, id) => (HttpMethod.Post, $"/api/v1/projects/{id}/members", new { userId = w.MemberIds[Role.Admin] })),
        new("RemoveProjectMember", ApiResource.Projects, ApiAction.Write, Kind.Item, RowKind.Project, (w, _, t, id) => (HttpMethod.Delete, $"/api/v1/projects/{id}/members/{w.ProjectRegularOf(t)}", null)),

        Get("ListTasks", ApiResource.Tasks, "tasks", RowKind.Task, Kind.List),
        Get("GetTask", ApiResource.Tasks, "tasks", RowKind.Task),
        Create("CreateTask", ApiResource.Tasks, "tasks", (w, t) => new { projectId = w.ProjectOf(t), name = "Matrix task" }),
        Write("UpdateTask", ApiResource.Tasks, HttpMethod.Patch, id => $"/api/v1/tasks/{id}", RowKind.Task, new { status = "DONE" }) with { WorksAssigned = true },
        Write("DeleteTask", ApiResource.Tasks, HttpMethod.Delete, id => $"/api/v1/tasks/{id}", RowKind.Task),
        Write("ArchiveTask", ApiResource.Tasks, HttpMethod.Post, id => $"/api/v1/tasks/{id}/archive", RowKind.Task),

        Get("ListTimeEntries", ApiResource.TimeEntries, "time-entries", RowKind.TimeEntry, Kind.List),
        new("GetRunningTimeEntry", ApiResource.TimeEntries, ApiAction.Read, Kind.Singleton, null, (_, _, _, _) => (HttpMethod.Get, "/api/v1/time-entries/running", null)),
        Get("GetTimeEntry", ApiResource.TimeEntries, "time-entries", RowKind.TimeEntry),
        Create("CreateTimeEntry", ApiResource.TimeEntries, "time-entries", (w, t) => new { projectId = w.ProjectOf(t), entryDate = s_today, durationSeconds = 3600, note = "Matrix" }),
        Write("UpdateTimeEntry", ApiResource.TimeEntries, HttpMethod.Patch, id => $"/api/v1/time-entries/{id}", RowKind.TimeEntry, new { note = "Edited" }),
        Write("DeleteTimeEntry", ApiResource.TimeEntries, HttpMethod.Delete, id => $"/api/v1/time-entries/{id}", RowKind.TimeEntry),
        Write("StopTimeEntry", ApiResource.TimeEntries, HttpMethod.Post, id => $"/api/v1/time-entries/{id}/stop", RowKind.RunningTimeEntry),

        Get("ListExpenses", ApiResource.Expenses, "expenses", RowKind.Expense, Kind.List),
        Get("GetExpense", ApiResource.Expenses, "expenses", RowKind.Expense),
        Create("CreateExpense", ApiResource.Expenses, "expenses", (w, t) => new { clientId = w.ClientOf(t), description = "Taxi", amount = "12.50", expenseDate = s_today }),
        Write("UpdateExpense", ApiResource.Expenses, HttpMethod.Patch, id => $"/api/v1/expenses/{id}", RowKind.Expense, new { description = "Edited" }),
        Write("DeleteExpense", ApiResource.Expenses, HttpMethod.Delete, id => $"/api/v1/expenses/{id}", RowKind.Expense),

        Get("ListInvoices", ApiResource.Invoices, "invoices", RowKind.Invoice, Kind.List),
        Get("GetInvoice", ApiResource.Invoices, "invoices", RowKind.Invoice),

        Get("ListMembers", ApiResource.Members, "members", RowKind.Member, Kind.List),
        Get("GetMember", ApiResource.Members, "members", RowKind.Member),

        new("GetOrganization", ApiResource.Organization, ApiAction.Read, Kind.Singleton, null, (_, _, _, _) => (HttpMethod.Get, "/api/v1/organization", null)),
    ];

    /// <summary>Every JSON property name [Money] marks on any response type of the API.</summary>
    private static readonly HashSet<string> s_moneyFieldNames = typeof(MoneyAttribute).Assembly.GetTypes()
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        .Where(p => p.IsDefined(typeof(MoneyAttribute), inherit: true))
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
        .ToHashSet();

    private static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };
}

public enum RowKind { Client, Project, Task, TimeEntry, RunningTimeEntry, Expense, Invoice, Member }

/// <summary>
/// The matrix's world: a Studio workspace with one member of each role (the Member is on project A,
/// not on project B) and a second workspace. Each case adds the fresh rows it acts on.
/// </summary>
public sealed class PermissionWorld : ApiFactory, IAsyncLifetime
{
    public Dictionary<Role, string> Tokens { get; } = [];
    public Dictionary<Role, Guid> MemberIds { get; } = [];
    private Guid _workspace, _client, _projectA, _projectB;
    private Guid _otherWorkspace, _otherOwner, _otherClient, _otherProject;

    public async Task InitializeAsync()
    {
        var workspace = await CreateWorkspaceAsync();
        _workspace = workspace.Id;
        foreach (var role in Enum.GetValues<Role>())
        {
            var (memberId, token) = await workspace.TokenForRoleAsync(role);
            (MemberIds[role], Tokens[role]) = (memberId, token);
        }

        var other = await CreateWorkspaceAsync();
        (_otherWorkspace, _otherOwner) = (other.Id, other.OwnerId);
        _client = await AddAsync(NewClient(_workspace));
        _otherClient = await AddAsync(NewClient(_otherWorkspace));
        _projectA = await NewProjectAsync(_workspace, _client, MemberIds[Role.Member]);
        _projectB = await NewProjectAsync(_workspace, _client, null);
        _otherProject = await NewProjectAsync(_otherWorkspace, _otherClient, null);
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public Guid ClientOf(PermissionMatrixTests.Target target) => target == PermissionMatrixTests.Target.OtherWorkspace ? _otherClient : _client;

    public Guid ProjectOf(PermissionMatrixTests.Target target) => target switch
    {
        PermissionMatrixTests.Target.InReach => _projectA,
        PermissionMatrixTests.Target.OutOfReach => _projectB,
        _ => _otherProject,
    };

    /// <summary>Someone on every project row this world makes (so removing them can succeed).</summary>
    public Guid ProjectRegularOf(PermissionMatrixTests.Target target) =>
        target == PermissionMatrixTests.Target.OtherWorkspace ? _otherOwner : MemberIds[Role.Manager];

    /// <summary>A fresh row of <paramref name="kind"/> placed by <paramref name="target"/>, for a <paramref name="caller"/> of that role.</summary>
    public async Task<Guid> NewRowAsync(RowKind kind, Role caller, PermissionMatrixTests.Target target)
    {
        var foreign = target == PermissionMatrixTests.Target.OtherWorkspace;
        var inReach = target == PermissionMatrixTests.Target.InReach;
        var workspace = foreign ? _otherWorkspace : _workspace;
        var client = foreign ? _otherClient : _client;
        var project = ProjectOf(target);
        var member = MemberIds[Role.Member];
        // Whose row: the Member's own when in reach, someone else's otherwise.
        var worker = foreign ? _otherOwner : inReach ? member : MemberIds[Role.Manager];
        var now = DateTime.UtcNow;
        switch (kind)
        {
            case RowKind.Client:
                return await AddAsync(NewClient(workspace));
            case RowKind.Project:
                return await NewProjectAsync(workspace, client, inReach ? member : null);
            case RowKind.Task:
                return await WithDbAsync(async db =>
                {
                    var task = new WorkTask { WorkspaceId = workspace, ProjectId = project, Name = "Matrix task", CreatedAt = now, UpdatedAt = now };
                    if (inReach)
                    {
                        task.Assignees.Add(new TaskAssignee { MemberId = member });
                    }

                    db.Tasks.Add(task);
                    await db.SaveChangesAsync();
                    return task.Id;
                });
            case RowKind.TimeEntry:
            case RowKind.RunningTimeEntry:
                var running = kind == RowKind.RunningTimeEntry;
                if (running)
                {
                    // One running timer per person (a unique index): the worker's earlier one stops, as a start would stop it.
                    await WithDbAsync(db => db.TimeEntries
                        .Where(e => e.WorkspaceId == workspace && e.MemberId == worker && e.StartedAt != null && e.StoppedAt == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(e => e.StoppedAt, now).SetProperty(e => e.DurationSeconds, 600L)));
                }

                return await AddAsync(new TimeEntry
                {
                    WorkspaceId = workspace,
                    ProjectId = project,
                    MemberId = worker,
                    EntryDate = DateOnly.FromDateTime(now),
                    DurationSeconds = running ? null : 3600,
                    StartedAt = running ? now.AddMinutes(-10) : null,
                    Note = "Matrix",
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            case RowKind.Expense:
                return await AddAsync(new Expense
                {
                    WorkspaceId = workspace,
                    ClientId = client,
                    Description = "Matrix expense",
                    Amount = 42.50m,
                    Currency = "EUR",
                    ExpenseDate = DateOnly.FromDateTime(now),
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            case RowKind.Invoice:
                return await AddAsync(new Invoice
                {
                    WorkspaceId = workspace,
                    ClientId = client,
                    Number = $"M-{Guid.NewGuid():N}"[..20],
                    Currency = "EUR",
                    Subtotal = 100m,
                    Total = 100m,
                    IssueDate = DateOnly.FromDateTime(now),
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            default:
                return foreign ? _otherOwner : inReach ? MemberIds[caller] : MemberIds[caller == Role.Manager ? Role.Admin : Role.Manager];
        }
    }

    private static Client NewClient(Guid workspace) =>
        new() { WorkspaceId = workspace, Name = "Matrix client", Currency = "EUR", DefaultRate = 120m, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };

    private async Task<Guid> NewProjectAsync(Guid workspace, Guid client, Guid? member)
    {
        var now = DateTime.UtcNow;
        var regular = workspace == _workspace ? MemberIds[Role.Manager] : _otherOwner;
        return await WithDbAsync(async db =>
        {
            var project = new Project { WorkspaceId = workspace, ClientId = client, Name = "Matrix project", HourlyRate = 120m, CreatedAt = now, UpdatedAt = now };
            db.Projects.Add(project);
            foreach (var id in member is { } m ? [regular, m] : new[] { regular })
            {
                db.ProjectMembers.Add(new ProjectMember { ProjectId = project.Id, MemberId = id, AddedAt = now });
            }

            await db.SaveChangesAsync();
            return project.Id;
        });
    }

    private Task<Guid> AddAsync<T>(T row) where T : class, Infrastructure.IHasId =>
        WithDbAsync(async db =>
        {
            db.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
}
