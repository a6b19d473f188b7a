using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Administration;

/// <summary>
/// On an empty database, creates "Demo Studio" (Studio plan) with an Owner, a Manager and a
/// Member, and mints one Owner token. The token is returned once for printing and never again.
/// </summary>
public sealed class DemoSeeder(HoursmithDb db, WorkspaceAdministration admin)
{
    public const string WorkspaceName = "Demo Studio";

    /// <returns>The Owner token, or null when the database already had data.</returns>
    public async Task<string?> SeedIfEmptyAsync(TokenEnvironment environment, CancellationToken cancellationToken = default)
    {
        if (await db.Workspaces.AnyAsync(cancellationToken))
        {
            return null;
        }

        var (workspace, owner) = await admin.CreateWorkspaceAsync(WorkspaceName, Plan.Studio, "olivia@demo.hoursmith.test", "Olivia Owner", "EUR", cancellationToken);
        await admin.AddMemberAsync(workspace.Id, "marco@demo.hoursmith.test", "Marco Manager", Role.Manager, cancellationToken);
        await admin.AddMemberAsync(workspace.Id, "mia@demo.hoursmith.test", "Mia Member", Role.Member, cancellationToken);
        var minted = await admin.MintTokenAsync(workspace.Id, owner.Id, "Demo token", environment, null, cancellationToken);
        return minted.Token;
    }
}
