using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Web;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Administration;

/// <summary>What the demo run prints once: the Owner's token and a one-time link to sign in as the Owner.</summary>
public sealed record DemoCredentials(string OwnerToken, IssuedSignInLink OwnerSignInLink);

/// <summary>
/// On an empty database, creates "Demo Studio" (Studio plan) with an Owner, a Manager and a
/// Member, realistic clients, projects, tasks, time and expenses, one sent invoice (so its time
/// entries and expense show as invoiced and locked), and mints one Owner token.
/// The token is returned once for printing and never again.
/// </summary>
public sealed class DemoSeeder(HoursmithDb db, WorkspaceAdministration admin, SignInLinks signInLinks, Invoicing invoicing, TimeProvider time)
{
    public const string WorkspaceName = "Demo Studio";

    /// <returns>The Owner's token and a sign-in link, or null when the database already had data.</returns>
    public async Task<DemoCredentials?> SeedIfEmptyAsync(TokenEnvironment environment, CancellationToken cancellationToken = default)
    {
        if (await db.Workspaces.AnyAsync(cancellationToken))
        {
            return null;
        }

        var (workspace, owner) = await admin.CreateWorkspaceAsync(WorkspaceName, Plan.Studio, "olivia@demo.hoursmith.test", "Olivia Owner", "EUR", cancellationToken);
        var manager = await admin.AddMemberAsync(workspace.Id, "marco@demo.hoursmith.test", "Marco Manager", Role.Manager, cancellationToken);
        var member = await admin.AddMemberAsync(workspace.Id, "mia@demo.hoursmith.test", "Mia Member", Role.Member, cancellationToken);
        await SeedWorkAsync(workspace, owner, manager, member, cancellationToken);
        var minted = await admin.MintTokenAsync(workspace.Id, owner.Id, "Demo token", environment, null, cancellationToken);
        var link = await signInLinks.CreateAsync(workspace.Id, owner.Id, SignInLinks.DefaultMinutes, createdBy: null, cancellationToken);
        return new DemoCredentials(minted.Token, link);
    }

    private async Task SeedWorkAsync(Workspace workspace, Member owner, Member manager, Member member, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        T Stamp<T>(T entity) where T : WorkspaceEntity
        {
            entity.WorkspaceId = workspace.Id;
            entity.CreatedAt = entity.UpdatedAt = now;
            return entity;
        }

        var northwind = Stamp(new Client
        {
            Name = "Northwind Traders",
            ContactName = "Nancy Davolio",
            Email = "nancy@northwind.test",
            Currency = "EUR",
            BillingLine1 = "Hauptstraße 5",
            BillingCity = "Berlin",
            BillingPostalCode = "10115",
            BillingCountry = "DE",
            DefaultRate = 95m,
            DefaultPaymentTerms = PaymentTerms.Net30,
            DefaultTaxRate = 19m,
            BillingEmail = "ap@northwind.test",
        });
        var globex = Stamp(new Client { Name = "Globex Corporation", ContactName = "Hank Scorpio", Email = "hank@globex.test", Currency = "EUR", DefaultRate = 110m, DefaultPaymentTerms = PaymentTerms.Net14 });
        var initech = Stamp(new Client { Name = "Initech", Email = "bill@initech.test", Currency = "EUR", Notes = "Support retainer, billed monthly." });
        db.Clients.AddRange(northwind, globex, initech);

        var website = Stamp(new Project { ClientId = northwind.Id, Name = "Website redesign", Color = "#3b82f6", HourlyRate = 95m, BudgetHours = 120m, StartDate = today.AddDays(-60), DueDate = today.AddDays(30) });
        var brand = Stamp(new Project { ClientId = northwind.Id, Name = "Brand refresh", Color = "#f59e0b", RateType = RateType.Fixed, FixedFeeAmount = 4500m, StartDate = today.AddDays(-30) });
        var app = Stamp(new Project { ClientId = globex.Id, Name = "Mobile app", Color = "#10b981", HourlyRate = 110m, BudgetAmount = 25000m });
        var support = Stamp(new Project { ClientId = initech.Id, Name = "Internal tooling", RateType = RateType.NonBillable, Status = ProjectStatus.Completed });
        db.Projects.AddRange(website, brand, app, support);
        db.ProjectMembers.AddRange(
            new ProjectMember { ProjectId = website.Id, MemberId = member.Id, AddedAt = now },
            new ProjectMember { ProjectId = app.Id, MemberId = member.Id, AddedAt = now });

        var homepage = Stamp(new WorkTask { ProjectId = website.Id, Name = "Homepage layout", Status = WorkTaskStatus.InProgress, Priority = TaskPriority.High, EstimatedHours = 16m, Tags = ["design"] });
        var cms = Stamp(new WorkTask { ProjectId = website.Id, Name = "CMS integration", Priority = TaskPriority.Medium, EstimatedHours = 24m, Tags = ["dev"] });
        var logo = Stamp(new WorkTask { ProjectId = brand.Id, Name = "Logo concepts", Status = WorkTaskStatus.Done });
        var onboarding = Stamp(new WorkTask { ProjectId = app.Id, Name = "Onboarding screens", Priority = TaskPriority.High, Tags = ["ios", "android"] });
        db.Tasks.AddRange(homepage, cms, logo, onboarding);
        db.TaskAssignees.AddRange(
            new TaskAssignee { TaskId = homepage.Id, MemberId = member.Id },
            new TaskAssignee { TaskId = cms.Id, MemberId = manager.Id },
            new TaskAssignee { TaskId = onboarding.Id, MemberId = member.Id });

        (Member Who, Project Project, WorkTask? Task, int DaysAgo, int Minutes, string Note)[] work =
        [
            (member, website, homepage, 20, 185, "Wireframes"),
            (member, website, homepage, 19, 240, "Homepage layout"),
            (owner, website, cms, 18, 95, "CMS evaluation"),
            (manager, website, cms, 12, 300, "Content model"),
            (owner, brand, logo, 15, 120, "Logo sketches"),
            (member, app, onboarding, 6, 210, "Onboarding flow"),
            (manager, app, onboarding, 5, 150, "API review"),
            (owner, support, null, 3, 60, "Build scripts"),
            (member, website, homepage, 1, 45, "Review fixes"),
        ];
        db.TimeEntries.AddRange(work.Select(w => Stamp(new TimeEntry
        {
            MemberId = w.Who.Id,
            ProjectId = w.Project.Id,
            TaskId = w.Task?.Id,
            DurationSeconds = w.Minutes * 60L,
            Billable = w.Project.RateType != RateType.NonBillable,
            Note = w.Note,
            EntryDate = today.AddDays(-w.DaysAgo),
        })));

        db.Expenses.AddRange(
            Stamp(new Expense { ClientId = northwind.Id, ProjectId = website.Id, Category = ExpenseCategory.Software, Description = "Stock photography licence", Amount = 79.00m, Currency = northwind.Currency, ExpenseDate = today.AddDays(-17) }),
            Stamp(new Expense { ClientId = globex.Id, ProjectId = app.Id, Category = ExpenseCategory.Travel, Description = "Train to client workshop", Amount = 126.40m, Currency = globex.Currency, ExpenseDate = today.AddDays(-7) }),
            Stamp(new Expense { ClientId = globex.Id, Category = ExpenseCategory.Other, CustomCategory = "Test devices", Description = "Refurbished Android phone", Amount = 189.99m, Currency = globex.Currency, ExpenseDate = today.AddDays(-4), Billable = false }));

        await db.SaveChangesAsync(cancellationToken);

        // Northwind's older website work and its photo licence, invoiced and sent through the same
        // path as the CLI; the newer work (and the Brand refresh fee) stays open for a first invoice of one's own.
        var invoice = await invoicing.CreateAsync(new NewInvoice(workspace.Id, northwind.Id, To: today.AddDays(-16)), cancellationToken);
        await invoicing.SendAsync(invoice.Id, cancellationToken);
    }
}
