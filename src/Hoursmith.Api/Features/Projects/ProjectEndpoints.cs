using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Webhooks;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Errors;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Infrastructure.Lists;
using Hoursmith.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Features.Projects;

/// <summary>Projects and their membership. Members read only the projects they are on.</summary>
public static class ProjectEndpoints
{
    internal static readonly ListSpec<Project> List = new ListSpec<Project>("projects", p => p.CreatedAt, p => p.UpdatedAt)
        .SortBy("dueDate", p => p.DueDate)
        .SortBy("name", p => p.Name)
        .SortBy("startDate", p => p.StartDate)
        .SortByRank("status", p => p.Status)
        .Search("name and description", p => p.Name, p => p.Description)
        .TextFilter("clientName", "Only projects whose client's name contains this (any case).", p => p.Client.Name)
        .IdFilter("clientId", p => p.ClientId)
        .EnumFilter("status", p => p.Status)
        .DateRange("startDate", p => p.StartDate)
        .DateRange("dueDate", p => p.DueDate);

    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("", ListProjects).RequirePermission(ApiResource.Projects, ApiAction.Read).WithList(List).WithName("ListProjects").WithSummary("List projects").WithDescription("Lists the projects this token reaches, newest first.");
        projects.MapPost("", CreateProject).RequirePermission(ApiResource.Projects, ApiAction.Write).WithName("CreateProject").WithSummary("Create a project").WithDescription("Creates a project.");
        projects.MapGet("/{id:guid}", GetProject).RequirePermission(ApiResource.Projects, ApiAction.Read).WithName("GetProject").WithSummary("Get a project").WithDescription("One project.");
        projects.MapPatch("/{id:guid}", UpdateProject).RequirePermission(ApiResource.Projects, ApiAction.Write).WithName("UpdateProject").WithSummary("Update a project").WithDescription("Updates the fields sent; rules are checked on the merged result.");
        projects.MapDelete("/{id:guid}", DeleteProject).RequirePermission(ApiResource.Projects, ApiAction.Write).WithName("DeleteProject").WithSummary("Delete a project").WithDescription("Soft-deletes a project.");
        projects.MapPost("/{id:guid}/archive", ArchiveProject).RequirePermission(ApiResource.Projects, ApiAction.Write).WithName("ArchiveProject").WithSummary("Archive a project").WithDescription("Sets the status to ARCHIVED.");
        projects.MapGet("/{id:guid}/members", ListProjectMembers).RequirePermission(ApiResource.Projects, ApiAction.Read).WithName("ListProjectMembers").WithSummary("List project members").WithDescription("Who is on the project.");
        projects.MapPost("/{id:guid}/members", AddProjectMember).RequirePermission(ApiResource.Projects, ApiAction.Write).WithName("AddProjectMember").WithSummary("Add a project member").WithDescription("Adds a member to the project.");
        projects.MapDelete("/{id:guid}/members/{userId:guid}", RemoveProjectMember).RequirePermission(ApiResource.Projects, ApiAction.Write).WithName("RemoveProjectMember")
            .WithSummary("Remove a project member")
            .WithDescription("Removes a member: their tasks there are unassigned, their time entries kept.");
        return api;
    }

    internal static Task<Results<Ok<ListEnvelope<ProjectView>>, ApiErrorResult>> ListProjects(
        ListQuery query, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        query.PageAsync(List, ProjectAccess.Visible(db, caller).AsNoTracking(), caller, ProjectView.From, cancellationToken);

    internal static async Task<Results<Created<DataEnvelope<ProjectView>>, ApiErrorResult>> CreateProject(
        JsonBody<ProjectInput> body, Caller caller, HoursmithDb db, WebhookOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var project = new Project { WorkspaceId = caller.WorkspaceId, Name = "", CreatedAt = now, UpdatedAt = now };
        var validator = new FieldValidator();
        await ApplyAsync(body, project, caller, db, validator, creating: true, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        db.Projects.Add(project);
        await outbox.RecordAsync(db, caller.WorkspaceId, WebhookEventTypes.ProjectCreated, project, () => new { project = ProjectView.From(project) }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{project.Id}", new DataEnvelope<ProjectView>(ProjectView.From(project)));
    }

    internal static async Task<Results<Ok<DataEnvelope<ProjectView>>, ApiErrorResult>> GetProject(
        Guid id, Caller caller, HoursmithDb db, CancellationToken cancellationToken) =>
        await ProjectAccess.Visible(db, caller).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken) is { } project
            ? TypedResults.Ok(new DataEnvelope<ProjectView>(ProjectView.From(project)))
            : ApiErrors.NotFound("Project not found.");

    internal static async Task<Results<Ok<DataEnvelope<ProjectView>>, ApiErrorResult>> UpdateProject(
        Guid id, JsonBody<ProjectInput> body, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var project = await ProjectAccess.Visible(db, caller, ApiAction.Write).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return ApiErrors.NotFound("Project not found.");
        }

        var validator = new FieldValidator();
        await ApplyAsync(body, project, caller, db, validator, creating: false, cancellationToken);
        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        project.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<ProjectView>(ProjectView.From(project)));
    }

    internal static async Task<Results<NoContent, ApiErrorResult>> DeleteProject(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var project = await ProjectAccess.Visible(db, caller, ApiAction.Write).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return ApiErrors.NotFound("Project not found.");
        }

        project.DeletedAt = project.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<DataEnvelope<ProjectView>>, ApiErrorResult>> ArchiveProject(
        Guid id, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var project = await ProjectAccess.Visible(db, caller, ApiAction.Write).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return ApiErrors.NotFound("Project not found.");
        }

        project.Status = ProjectStatus.Archived;
        project.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DataEnvelope<ProjectView>(ProjectView.From(project)));
    }

    internal static async Task<Results<Ok<ListEnvelope<ProjectMemberView>>, ApiErrorResult>> ListProjectMembers(
        Guid id, Caller caller, HoursmithDb db, CancellationToken cancellationToken)
    {
        if (!await ProjectAccess.Visible(db, caller).AnyAsync(p => p.Id == id, cancellationToken))
        {
            return ApiErrors.NotFound("Project not found.");
        }

        var members = await MembersOfAsync(db, id, cancellationToken);
        return TypedResults.Ok(new ListEnvelope<ProjectMemberView>(members, new Pagination(Math.Max(members.Count, ListQuery.DefaultLimit), null)));
    }

    internal static async Task<Results<Created<DataEnvelope<ProjectMemberView>>, Ok<DataEnvelope<ProjectMemberView>>, ApiErrorResult>> AddProjectMember(
        Guid id, JsonBody<ProjectMemberInput> body, Caller caller, HoursmithDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await ProjectAccess.Visible(db, caller, ApiAction.Write).AnyAsync(p => p.Id == id, cancellationToken))
        {
            return ApiErrors.NotFound("Project not found.");
        }

        var validator = new FieldValidator();
        var userId = validator.Uuid("userId", body.Value.UserId, required: true);
        if (userId is { } memberId && !await db.Members.AnyAsync(m => m.Id == memberId && m.WorkspaceId == caller.WorkspaceId && m.RemovedAt == null, cancellationToken))
        {
            validator.Fail("userId", "not_found");
        }

        if (!validator.IsValid)
        {
            return validator.ToResult();
        }

        var added = await AddMembersAsync(db, id, [userId!.Value], time.GetUtcNow().UtcDateTime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var view = (await MembersOfAsync(db, id, cancellationToken)).Single(m => m.UserId == userId);
        return added > 0
            ? TypedResults.Created($"/api/v1/projects/{id}/members", new DataEnvelope<ProjectMemberView>(view))
            : TypedResults.Ok(new DataEnvelope<ProjectMemberView>(view));
    }

    internal static async Task<Results<NoContent, ApiErrorResult>> RemoveProjectMember(
        Guid id, Guid userId, Caller caller, HoursmithDb db, CancellationToken cancellationToken)
    {
        if (!await ProjectAccess.Visible(db, caller, ApiAction.Write).AnyAsync(p => p.Id == id, cancellationToken))
        {
            return ApiErrors.NotFound("Project not found.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await db.ProjectMembers.Where(m => m.ProjectId == id && m.MemberId == userId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return ApiErrors.NotFound("That member is not on this project.");
        }

        // Their tasks here are unassigned; their time entries stay.
        await db.TaskAssignees.Where(a => a.MemberId == userId && db.Tasks.IgnoreQueryFilters().Any(t => t.Id == a.TaskId && t.ProjectId == id))
            .ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Adds members to a project unless already on it (also used when tasks are assigned). Returns how many were new.</summary>
    public static async Task<int> AddMembersAsync(HoursmithDb db, Guid projectId, IReadOnlyCollection<Guid> memberIds, DateTime now, CancellationToken cancellationToken)
    {
        var existing = await db.ProjectMembers.Where(m => m.ProjectId == projectId && memberIds.Contains(m.MemberId)).Select(m => m.MemberId).ToListAsync(cancellationToken);
        var added = memberIds.Except(existing).Distinct().ToList();
        db.ProjectMembers.AddRange(added.Select(memberId => new ProjectMember { ProjectId = projectId, MemberId = memberId, AddedAt = now }));
        return added.Count;
    }

    private static async Task<List<ProjectMemberView>> MembersOfAsync(HoursmithDb db, Guid projectId, CancellationToken cancellationToken)
    {
        var rows = await (
            from pm in db.ProjectMembers
            join m in db.Members on pm.MemberId equals m.Id
            where pm.ProjectId == projectId
            orderby pm.AddedAt
            select new { pm.ProjectId, m.Id, m.Name, m.Email, m.Role, pm.AddedAt }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ProjectMemberView(r.ProjectId, r.Id, r.Name, r.Email, WireEnum<Role>.Format(r.Role), r.AddedAt))];
    }

    /// <summary>One path for create and PATCH; cross-field rules run on the merged result.</summary>
    private static async Task ApplyAsync(JsonBody<ProjectInput> body, Project project, Caller caller, HoursmithDb db, FieldValidator v, bool creating, CancellationToken cancellationToken)
    {
        var input = body.Value;
        Client? client = null;

        if (body.Applies(sent => sent.ClientId, creating))
        {
            if (v.Uuid("clientId", input.ClientId, required: true) is { } clientId)
            {
                client = await db.Clients.FirstOrDefaultAsync(c => c.Id == clientId && c.WorkspaceId == caller.WorkspaceId, cancellationToken);
                if (client is null)
                {
                    v.Fail("clientId", "not_found");
                }
                else
                {
                    project.ClientId = client.Id;
                }
            }
        }

        if (body.Applies(sent => sent.Name, creating)) project.Name = v.Text("name", input.Name, 200, required: true) ?? "";
        if (body.Applies(sent => sent.Description, creating)) project.Description = v.Text("description", input.Description, 5000);
        if (body.Applies(sent => sent.Color, creating)) project.Color = v.Text("color", input.Color, 32);
        if (body.Has(sent => sent.Status)) project.Status = v.Enum<ProjectStatus>("status", input.Status, required: true) ?? project.Status;
        if (body.Has(sent => sent.RateType)) project.RateType = v.Enum<RateType>("rateType", input.RateType, required: true) ?? project.RateType;
        if (body.Applies(sent => sent.HourlyRate, creating))
        {
            project.HourlyRate = v.DecimalNumber("hourlyRate", input.HourlyRate, maxDecimals: 4);
            if (project.HourlyRate is null && v.IsValid)
            {
                // A blank rate inherits the client's default rate.
                client ??= await db.Clients.FirstOrDefaultAsync(c => c.Id == project.ClientId, cancellationToken);
                project.HourlyRate = client?.DefaultRate;
            }
        }

        if (body.Applies(sent => sent.FixedFeeAmount, creating)) project.FixedFeeAmount = v.DecimalNumber("fixedFeeAmount", input.FixedFeeAmount, maxDecimals: 4);
        if (body.Applies(sent => sent.BudgetHours, creating)) project.BudgetHours = v.DecimalNumber("budgetHours", input.BudgetHours, maxDecimals: 2);
        if (body.Applies(sent => sent.BudgetAmount, creating)) project.BudgetAmount = v.DecimalNumber("budgetAmount", input.BudgetAmount, maxDecimals: 4);
        if (body.Applies(sent => sent.StartDate, creating)) project.StartDate = v.Date("startDate", input.StartDate);
        if (body.Applies(sent => sent.DueDate, creating)) project.DueDate = v.Date("dueDate", input.DueDate);

        if (project.BudgetHours is not null && project.BudgetAmount is not null)
        {
            v.Fail(body.Has(sent => sent.BudgetAmount) ? "budgetAmount" : "budgetHours", "mutually_exclusive");
        }

        if (project.RateType == RateType.Fixed && project.FixedFeeAmount is null)
        {
            v.Fail("fixedFeeAmount", "required");
        }
        else if (project.RateType != RateType.Fixed && project.FixedFeeAmount is not null)
        {
            v.Fail("fixedFeeAmount", "only_for_fixed");
        }

        v.DateOrder("startDate", project.StartDate, "dueDate", project.DueDate);
    }
}
