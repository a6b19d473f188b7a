using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Features;

public class TaskTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A workspace with an Owner client, one client and one project.</summary>
    private async Task<(TestWorkspace Workspace, HttpClient Owner, Guid ProjectId)> SetupAsync()
    {
        var workspace = await factory.CreateWorkspaceAsync();
        var owner = workspace.Client((await workspace.MintAsync(workspace.OwnerId)).Token);
        var clientId = await IdOfAsync(await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Acme" }));
        return (workspace, owner, await NewProjectAsync(owner, clientId));
    }

    private static async Task<Guid> NewProjectAsync(HttpClient owner, Guid? clientId = null)
    {
        clientId ??= await IdOfAsync(await owner.PostAsJsonAsync("/api/v1/clients", new { name = "Another client" }));
        return await IdOfAsync(await owner.PostAsJsonAsync("/api/v1/projects", new { clientId, name = "Website" }));
    }

    private static async Task<Guid> IdOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/tasks", body);
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data");
    }

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, int status = 200)
    {
        Assert.Equal(status, (int)response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data");
    }

    private static List<Guid> Ids(JsonElement array, string property = "id") => [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetGuid())];

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    private static async Task<List<Guid>> ProjectMembersAsync(HttpClient owner, Guid projectId) =>
        Ids(await DataAsync(await owner.GetAsync($"/api/v1/projects/{projectId}/members")), "userId");

    [Fact]
    public async Task New_tasks_are_todo_billable_and_carry_every_field()
    {
        var (workspace, owner, projectId) = await SetupAsync();

        var task = await CreateAsync(owner, new { projectId, name = "  Homepage  " });

        Assert.Equal(projectId, task.GetProperty("projectId").GetGuid());
        Assert.Equal(workspace.Id, task.GetProperty("orgId").GetGuid());
        Assert.Equal("Homepage", task.GetProperty("name").GetString());
        Assert.Equal("TODO", task.GetProperty("status").GetString());
        Assert.True(task.GetProperty("billable").GetBoolean());
        Assert.Equal(0, task.GetProperty("assigneeIds").GetArrayLength());
        Assert.Equal(0, task.GetProperty("tags").GetArrayLength());
        foreach (var field in new[] { "description", "priority", "estimatedHours", "startDate", "dueDate", "endDate", "deletedAt" })
        {
            Assert.Equal(JsonValueKind.Null, task.GetProperty(field).ValueKind);
        }

        var fetched = await DataAsync(await owner.GetAsync($"/api/v1/tasks/{task.GetProperty("id").GetGuid()}"));
        Assert.Equal(task.GetProperty("createdAt").GetString(), fetched.GetProperty("createdAt").GetString());
        Assert.Equal(task.GetProperty("updatedAt").GetString(), fetched.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task Tags_are_trimmed_without_blanks_or_duplicates_and_hours_are_decimal_strings()
    {
        var (_, owner, projectId) = await SetupAsync();

        var task = await CreateAsync(owner, new
        {
            projectId,
            name = "Logo",
            status = "in_progress",
            priority = "high",
            billable = false,
            estimatedHours = 12.5,
            tags = new[] { " design ", "", "   ", "Design", "dev", "design" },
            startDate = "2026-05-01",
            dueDate = "2026-05-01",
            endDate = "2026-05-20",
        });

        Assert.Equal(["design", "dev"], Strings(task.GetProperty("tags")));
        Assert.Equal("12.50", task.GetProperty("estimatedHours").GetString());
        Assert.Equal("IN_PROGRESS", task.GetProperty("status").GetString());
        Assert.Equal("HIGH", task.GetProperty("priority").GetString());
        Assert.False(task.GetProperty("billable").GetBoolean());
        Assert.Equal("2026-05-01", task.GetProperty("dueDate").GetString());
        Assert.Equal("2026-05-20", task.GetProperty("endDate").GetString());
        Assert.Equal("7.25", (await CreateAsync(owner, new { projectId, name = "T", estimatedHours = "7.25" })).GetProperty("estimatedHours").GetString());
    }

    [Theory]
    [InlineData("{\"name\":\"T\"}", "projectId", "required")]
    [InlineData("{\"projectId\":\"nope\",\"name\":\"T\"}", "projectId", "not_a_uuid")]
    [InlineData("{\"projectId\":\"00000000-0000-4000-8000-000000000000\",\"name\":\"T\"}", "projectId", "not_found")]
    [InlineData("{\"projectId\":\"$project\"}", "name", "required")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"  \"}", "name", "required")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"$long\"}", "name", "too_long")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"status\":\"BLOCKED\"}", "status", "unknown_value")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"status\":null}", "status", "required")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"priority\":\"URGENT\"}", "priority", "unknown_value")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"estimatedHours\":\"1.255\"}", "estimatedHours", "too_many_decimals")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"estimatedHours\":-1}", "estimatedHours", "must_not_be_negative")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"estimatedHours\":\"12,5\"}", "estimatedHours", "not_a_decimal")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"assigneeIds\":[\"nope\"]}", "assigneeIds", "not_a_uuid")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"assigneeIds\":[\"00000000-0000-4000-8000-000000000000\"]}", "assigneeIds", "not_found")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"tags\":[\"$tag51\"]}", "tags", "too_long")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"tags\":$tags21}", "tags", "too_many")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"startDate\":\"2026-05-10\",\"dueDate\":\"2026-05-09\"}", "dueDate", "before_startDate")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"startDate\":\"2026-05-10\",\"endDate\":\"2026-05-01\"}", "endDate", "before_startDate")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"startDate\":\"10/05/2026\"}", "startDate", "invalid_date")]
    public async Task Invalid_tasks_are_422_naming_the_field(string json, string field, string reason)
    {
        var (_, owner, projectId) = await SetupAsync();
        var body = json
            .Replace("$project", projectId.ToString(), StringComparison.Ordinal)
            .Replace("$long", new string('x', 201), StringComparison.Ordinal)
            .Replace("$tag51", new string('t', 51), StringComparison.Ordinal)
            .Replace("$tags21", JsonSerializer.Serialize(Enumerable.Range(1, 21).Select(i => $"tag{i}")), StringComparison.Ordinal);

        var response = await owner.PostAsync("/api/v1/tasks", Json(body));

        Assert.Equal(reason, (await response.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty(field).GetString());
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once()
    {
        var (_, owner, projectId) = await SetupAsync();

        var error = await (await owner.PostAsJsonAsync("/api/v1/tasks", new { projectId, status = "NOPE", priority = "NOPE" })).AssertErrorAsync(422, "validation_error");

        Assert.Equal(["name", "priority", "status"], error.GetProperty("fields").EnumerateObject().Select(f => f.Name).Order());
    }

    [Theory]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"assigneeIds\":\"$project\"}")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"tags\":\"design\"}")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"tags\":[1]}")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"billable\":\"yes\"}")]
    [InlineData("{\"projectId\":\"$project\",\"name\":\"T\",\"estimatedHours\":true}")]
    public async Task Wrong_json_types_are_400(string json)
    {
        var (_, owner, projectId) = await SetupAsync();

        var response = await owner.PostAsync("/api/v1/tasks", Json(json.Replace("$project", projectId.ToString(), StringComparison.Ordinal)));

        await response.AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task Projects_and_assignees_of_another_workspace_or_removed_members_are_not_found()
    {
        var (workspace, owner, projectId) = await SetupAsync();
        var (_, _, foreignProject) = await SetupAsync();
        var foreign = await factory.CreateWorkspaceAsync();
        var removed = await workspace.AddMemberAsync(Role.Member);
        await factory.WithAdminAsync(admin => admin.RemoveMemberAsync(workspace.Id, removed));

        var wrongProject = await (await owner.PostAsJsonAsync("/api/v1/tasks", new { projectId = foreignProject, name = "T" })).AssertErrorAsync(422, "validation_error");
        Assert.Equal("not_found", wrongProject.GetProperty("fields").GetProperty("projectId").GetString());
        foreach (var assignee in new[] { foreign.OwnerId, removed })
        {
            var wrongAssignee = await (await owner.PostAsJsonAsync("/api/v1/tasks", new { projectId, name = "T", assigneeIds = new[] { workspace.OwnerId, assignee } }))
                .AssertErrorAsync(422, "validation_error");
            Assert.Equal("not_found", wrongAssignee.GetProperty("fields").GetProperty("assigneeIds").GetString());
        }
    }

    [Fact]
    public async Task Patch_keeps_omitted_fields_clears_nulls_and_replaces_arrays()
    {
        var (workspace, owner, projectId) = await SetupAsync();
        var ana = await workspace.AddMemberAsync(Role.Member);
        var ben = await workspace.AddMemberAsync(Role.Member);
        var id = (await CreateAsync(owner, new
        {
            projectId,
            name = "Copy",
            description = "All pages",
            priority = "LOW",
            estimatedHours = "3",
            tags = new[] { "a", "b" },
            assigneeIds = new[] { ana },
            startDate = "2026-05-01",
            dueDate = "2026-05-10",
        })).GetProperty("id").GetGuid();

        var patched = await DataAsync(await owner.PatchAsync($"/api/v1/tasks/{id}",
            Json($"{{\"description\":null,\"priority\":null,\"tags\":[\"c\"],\"assigneeIds\":[\"{ben}\"],\"status\":\"DONE\",\"unknown\":1}}")));

        Assert.Equal("Copy", patched.GetProperty("name").GetString());
        Assert.Equal("3.00", patched.GetProperty("estimatedHours").GetString());
        Assert.Equal("2026-05-10", patched.GetProperty("dueDate").GetString());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("description").ValueKind);
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("priority").ValueKind);
        Assert.Equal("DONE", patched.GetProperty("status").GetString());
        Assert.Equal(["c"], Strings(patched.GetProperty("tags")));
        Assert.Equal([ben], patched.GetProperty("assigneeIds").EnumerateArray().Select(a => a.GetGuid()));
        Assert.Equal(patched.GetRawText(), (await DataAsync(await owner.GetAsync($"/api/v1/tasks/{id}"))).GetRawText());

        var cleared = await DataAsync(await owner.PatchAsync($"/api/v1/tasks/{id}", Json("{\"tags\":null,\"assigneeIds\":[]}")));
        Assert.Equal(0, cleared.GetProperty("tags").GetArrayLength());
        Assert.Equal(0, cleared.GetProperty("assigneeIds").GetArrayLength());
        Assert.Equal(0, await factory.WithDbAsync(db => db.TaskAssignees.CountAsync(a => a.TaskId == id)));
    }

    [Fact]
    public async Task Patch_checks_date_order_on_the_merged_result()
    {
        var (_, owner, projectId) = await SetupAsync();
        var id = (await CreateAsync(owner, new { projectId, name = "T", startDate = "2026-05-01", dueDate = "2026-05-10" })).GetProperty("id").GetGuid();

        var refused = await owner.PatchAsJsonAsync($"/api/v1/tasks/{id}", new { startDate = "2026-05-11" });
        Assert.Equal("before_startDate", (await refused.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("dueDate").GetString());

        var accepted = await DataAsync(await owner.PatchAsJsonAsync($"/api/v1/tasks/{id}", new { startDate = "2026-05-11", dueDate = (string?)null }));
        Assert.Equal("2026-05-11", accepted.GetProperty("startDate").GetString());
    }

    [Fact]
    public async Task The_project_of_a_task_cannot_change()
    {
        var (_, owner, projectId) = await SetupAsync();
        var other = await NewProjectAsync(owner);
        var id = (await CreateAsync(owner, new { projectId, name = "T" })).GetProperty("id").GetGuid();

        foreach (var body in new[] { $"{{\"projectId\":\"{other}\"}}", "{\"projectId\":null}" })
        {
            var refused = await owner.PatchAsync($"/api/v1/tasks/{id}", Json(body));
            Assert.Equal("read_only", (await refused.AssertErrorAsync(422, "validation_error")).GetProperty("fields").GetProperty("projectId").GetString());
        }

        var same = await DataAsync(await owner.PatchAsJsonAsync($"/api/v1/tasks/{id}", new { projectId, name = "Renamed" }));
        Assert.Equal(projectId, same.GetProperty("projectId").GetGuid());
        Assert.Equal("Renamed", same.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Assigning_a_member_adds_them_to_the_project()
    {
        var (workspace, owner, projectId) = await SetupAsync();
        var secondProject = await NewProjectAsync(owner);
        var (memberId, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        using var member = workspace.Client(memberToken);
        var created = (await CreateAsync(owner, new { projectId, name = "Created assigned", assigneeIds = new[] { memberId } })).GetProperty("id").GetGuid();
        var patched = (await CreateAsync(owner, new { projectId = secondProject, name = "Assigned later" })).GetProperty("id").GetGuid();
        await (await member.GetAsync($"/api/v1/projects/{secondProject}")).AssertErrorAsync(404, "not_found");
        await (await member.GetAsync($"/api/v1/tasks/{patched}")).AssertErrorAsync(404, "not_found");

        await DataAsync(await owner.PatchAsJsonAsync($"/api/v1/tasks/{patched}", new { assigneeIds = new[] { memberId } }));

        foreach (var (project, task) in new[] { (projectId, created), (secondProject, patched) })
        {
            Assert.Equal([memberId], await ProjectMembersAsync(owner, project));
            Assert.Equal(project, (await DataAsync(await member.GetAsync($"/api/v1/projects/{project}"))).GetProperty("id").GetGuid());
            var seen = await DataAsync(await member.GetAsync($"/api/v1/tasks/{task}"));
            Assert.Equal([memberId], seen.GetProperty("assigneeIds").EnumerateArray().Select(a => a.GetGuid()));
        }

        // Assigning again adds no second membership.
        await DataAsync(await owner.PatchAsJsonAsync($"/api/v1/tasks/{patched}", new { assigneeIds = new[] { memberId, memberId } }));
        Assert.Equal([memberId], await ProjectMembersAsync(owner, secondProject));
    }

    [Fact]
    public async Task A_refused_request_assigns_nobody_and_adds_nobody_to_the_project()
    {
        var (workspace, owner, projectId) = await SetupAsync();
        var memberId = await workspace.AddMemberAsync(Role.Member);
        var id = (await CreateAsync(owner, new { projectId, name = "T" })).GetProperty("id").GetGuid();

        await (await owner.PostAsJsonAsync("/api/v1/tasks", new { projectId, name = "", assigneeIds = new[] { memberId } })).AssertErrorAsync(422, "validation_error");
        await (await owner.PatchAsJsonAsync($"/api/v1/tasks/{id}", new { assigneeIds = new[] { memberId }, priority = "NOPE" })).AssertErrorAsync(422, "validation_error");

        Assert.Empty(await ProjectMembersAsync(owner, projectId));
        Assert.Equal(0, (await DataAsync(await owner.GetAsync($"/api/v1/tasks/{id}"))).GetProperty("assigneeIds").GetArrayLength());
        Assert.Equal(1, await factory.WithDbAsync(db => db.Tasks.IgnoreQueryFilters().CountAsync(t => t.ProjectId == projectId)));
    }

    [Fact]
    public async Task Members_see_only_tasks_of_projects_they_are_on()
    {
        var (workspace, owner, projectId) = await SetupAsync();
        var otherProject = await NewProjectAsync(owner);
        var (memberId, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        using var member = workspace.Client(memberToken);
        var assigned = (await CreateAsync(owner, new { projectId, name = "Mine", assigneeIds = new[] { memberId } })).GetProperty("id").GetGuid();
        var colleagues = (await CreateAsync(owner, new { projectId, name = "A colleague's" })).GetProperty("id").GetGuid();
        var elsewhere = (await CreateAsync(owner, new { projectId = otherProject, name = "Elsewhere" })).GetProperty("id").GetGuid();

        var listed = Ids(await DataAsync(await member.GetAsync("/api/v1/tasks")));

        Assert.Equal([colleagues, assigned], listed);
        Assert.Equal(3, Ids(await DataAsync(await owner.GetAsync("/api/v1/tasks"))).Count);
        Assert.Equal(colleagues, (await DataAsync(await member.GetAsync($"/api/v1/tasks/{colleagues}"))).GetProperty("id").GetGuid());
        await (await member.GetAsync($"/api/v1/tasks/{elsewhere}")).AssertErrorAsync(404, "not_found");
        await (await member.PatchAsJsonAsync($"/api/v1/tasks/{elsewhere}", new { status = "DONE" })).AssertErrorAsync(404, "not_found");
        await (await member.DeleteAsync($"/api/v1/tasks/{elsewhere}")).AssertErrorAsync(404, "not_found");
        await (await member.PostAsync($"/api/v1/tasks/{elsewhere}/archive", null)).AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task Members_change_only_the_status_of_tasks_assigned_to_them()
    {
        var (workspace, owner, projectId) = await SetupAsync();
        var (memberId, memberToken) = await workspace.TokenForRoleAsync(Role.Member);
        using var member = workspace.Client(memberToken);
        var assigned = (await CreateAsync(owner, new { projectId, name = "Mine", assigneeIds = new[] { memberId } })).GetProperty("id").GetGuid();
        var unassigned = (await CreateAsync(owner, new { projectId, name = "Not mine" })).GetProperty("id").GetGuid();

        var worked = await DataAsync(await member.PatchAsJsonAsync($"/api/v1/tasks/{assigned}", new { status = "in_progress" }));
        Assert.Equal("IN_PROGRESS", worked.GetProperty("status").GetString());

        foreach (var body in new object[] { new { status = "DONE", name = "Renamed" }, new { assigneeIds = Array.Empty<Guid>() }, new { priority = (string?)null } })
        {
            var refused = await (await member.PatchAsJsonAsync($"/api/v1/tasks/{assigned}", body)).AssertErrorAsync(403, "forbidden_scope");
            Assert.Contains("status", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        await (await member.PatchAsJsonAsync($"/api/v1/tasks/{unassigned}", new { status = "DONE" })).AssertErrorAsync(403, "forbidden_scope");
        await (await member.PostAsJsonAsync("/api/v1/tasks", new { projectId, name = "New" })).AssertErrorAsync(403, "forbidden_scope");
        await (await member.DeleteAsync($"/api/v1/tasks/{assigned}")).AssertErrorAsync(403, "forbidden_scope");
        await (await member.PostAsync($"/api/v1/tasks/{assigned}/archive", null)).AssertErrorAsync(403, "forbidden_scope");

        var unchanged = await DataAsync(await owner.GetAsync($"/api/v1/tasks/{assigned}"));
        Assert.Equal("Mine", unchanged.GetProperty("name").GetString());
        Assert.Equal("IN_PROGRESS", unchanged.GetProperty("status").GetString());
        Assert.Equal([memberId], unchanged.GetProperty("assigneeIds").EnumerateArray().Select(a => a.GetGuid()));
        Assert.Equal("TODO", (await DataAsync(await owner.GetAsync($"/api/v1/tasks/{unassigned}"))).GetProperty("status").GetString());
        Assert.Equal(2, Ids(await DataAsync(await owner.GetAsync("/api/v1/tasks"))).Count);
    }

    [Fact]
    public async Task Managers_create_read_update_and_delete_any_task()
    {
        var (workspace, owner, projectId) = await SetupAsync();
        var (managerId, managerToken) = await workspace.TokenForRoleAsync(Role.Manager);
        using var manager = workspace.Client(managerToken);
        var ownersTask = (await CreateAsync(owner, new { projectId, name = "Owner's" })).GetProperty("id").GetGuid();

        var id = (await CreateAsync(manager, new { projectId, name = "Manager's", assigneeIds = new[] { managerId } })).GetProperty("id").GetGuid();
        Assert.Equal([id, ownersTask], Ids(await DataAsync(await manager.GetAsync("/api/v1/tasks"))));
        var updated = await DataAsync(await manager.PatchAsJsonAsync($"/api/v1/tasks/{ownersTask}", new { name = "Edited", billable = false }));
        Assert.Equal("Edited", updated.GetProperty("name").GetString());
        Assert.False(updated.GetProperty("billable").GetBoolean());
        Assert.Equal(204, (int)(await manager.DeleteAsync($"/api/v1/tasks/{id}")).StatusCode);
        Assert.Equal([ownersTask], Ids(await DataAsync(await manager.GetAsync("/api/v1/tasks"))));
    }

    [Fact]
    public async Task Tasks_of_another_workspace_are_404()
    {
        var (_, owner, projectId) = await SetupAsync();
        var (_, stranger, _) = await SetupAsync();
        var id = (await CreateAsync(owner, new { projectId, name = "Private" })).GetProperty("id").GetGuid();

        await (await stranger.GetAsync($"/api/v1/tasks/{id}")).AssertErrorAsync(404, "not_found");
        await (await stranger.PatchAsJsonAsync($"/api/v1/tasks/{id}", new { name = "Hijacked" })).AssertErrorAsync(404, "not_found");
        await (await stranger.DeleteAsync($"/api/v1/tasks/{id}")).AssertErrorAsync(404, "not_found");
        await (await stranger.PostAsync($"/api/v1/tasks/{id}/archive", null)).AssertErrorAsync(404, "not_found");
        Assert.Empty(Ids(await DataAsync(await stranger.GetAsync("/api/v1/tasks"))));

        var intact = await DataAsync(await owner.GetAsync($"/api/v1/tasks/{id}"));
        Assert.Equal("Private", intact.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("ARCHIVE")]
    public async Task Delete_and_archive_soft_delete_the_task(string how)
    {
        var (_, owner, projectId) = await SetupAsync();
        var id = (await CreateAsync(owner, new { projectId, name = "Gone soon" })).GetProperty("id").GetGuid();
        var kept = (await CreateAsync(owner, new { projectId, name = "Stays" })).GetProperty("id").GetGuid();

        var response = how == "DELETE" ? await owner.DeleteAsync($"/api/v1/tasks/{id}") : await owner.PostAsync($"/api/v1/tasks/{id}/archive", null);

        Assert.Equal(204, (int)response.StatusCode);
        await (await owner.GetAsync($"/api/v1/tasks/{id}")).AssertErrorAsync(404, "not_found");
        await (await owner.PatchAsJsonAsync($"/api/v1/tasks/{id}", new { name = "Back" })).AssertErrorAsync(404, "not_found");
        await (await owner.DeleteAsync($"/api/v1/tasks/{id}")).AssertErrorAsync(404, "not_found");
        await (await owner.PostAsync($"/api/v1/tasks/{id}/archive", null)).AssertErrorAsync(404, "not_found");
        Assert.Equal([kept], Ids(await DataAsync(await owner.GetAsync("/api/v1/tasks"))));
        var deletedAt = await factory.WithDbAsync(db => db.Tasks.IgnoreQueryFilters().Where(t => t.Id == id).Select(t => t.DeletedAt).SingleAsync());
        Assert.NotNull(deletedAt);
    }

    [Fact]
    public async Task Tasks_of_a_deleted_project_are_hidden()
    {
        var (_, owner, projectId) = await SetupAsync();
        var id = (await CreateAsync(owner, new { projectId, name = "Orphan" })).GetProperty("id").GetGuid();

        Assert.Equal(204, (int)(await owner.DeleteAsync($"/api/v1/projects/{projectId}")).StatusCode);

        await (await owner.GetAsync($"/api/v1/tasks/{id}")).AssertErrorAsync(404, "not_found");
        Assert.Empty(Ids(await DataAsync(await owner.GetAsync("/api/v1/tasks"))));
        var error = await (await owner.PostAsJsonAsync("/api/v1/tasks", new { projectId, name = "T" })).AssertErrorAsync(422, "validation_error");
        Assert.Equal("not_found", error.GetProperty("fields").GetProperty("projectId").GetString());
    }

    [Fact]
    public async Task The_list_pages_by_cursor_with_assignees_loaded()
    {
        var (workspace, owner, projectId) = await SetupAsync();
        var memberId = await workspace.AddMemberAsync(Role.Member);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await CreateAsync(owner, new { projectId, name = $"T{i}", assigneeIds = new[] { memberId, workspace.OwnerId } })).GetProperty("id").GetGuid());
        }

        var first = await (await owner.GetAsync("/api/v1/tasks?limit=2")).ReadJsonAsync();
        var cursor = first.GetProperty("pagination").GetProperty("nextCursor").GetString();
        var second = await (await owner.GetAsync($"/api/v1/tasks?limit=2&cursor={cursor}")).ReadJsonAsync();

        Assert.Equal([ids[2], ids[1], ids[0]], [.. Ids(first.GetProperty("data")), .. Ids(second.GetProperty("data"))]);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("pagination").GetProperty("nextCursor").ValueKind);
        foreach (var task in first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()))
        {
            Assert.Equal(new[] { memberId, workspace.OwnerId }.Order(), task.GetProperty("assigneeIds").EnumerateArray().Select(a => a.GetGuid()));
        }
    }
}
