using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// Rows written by migration tests while the database is at an older migration, where the current
/// model no longer matches every column: a client's payment terms were an integer before they became
/// text, and PostgreSQL refuses the model's text parameter (even a null one) for that column.
/// </summary>
public static class OldSchema
{
    /// <summary>The migration just before <paramref name="name"/> (the one whose id ends with <c>_name</c>): where its test starts.</summary>
    public static async Task<string> MigrationBeforeAsync(this TempDatabase database, string name)
    {
        var migrations = await Task.Run(() => { using var db = database.OpenContext(); return db.Database.GetMigrations().ToList(); });
        var index = migrations.FindIndex(m => m.EndsWith("_" + name, StringComparison.Ordinal));
        Assert.True(index > 0, $"no migration {name} with one before it");
        return migrations[index - 1];
    }

    /// <summary>Migrates up or down to <paramref name="migration"/>; null for the latest.</summary>
    public static Task MigrateToAsync(this HoursmithDb db, string? migration = null) =>
        db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync(migration);

    /// <summary>A client with the columns every schema since the first has had.</summary>
    public static Task InsertClientAsync(HoursmithDb db, Client client) => db.Database.ExecuteSqlAsync($"""
        INSERT INTO "Clients" ("Id", "WorkspaceId", "Name", "ContactName", "Email", "Currency", "RequirePoNumber", "CreatedAt", "UpdatedAt")
        VALUES ({client.Id}, {client.WorkspaceId}, {client.Name}, {client.ContactName}, {client.Email}, {client.Currency}, {client.RequirePoNumber}, {client.CreatedAt}, {client.UpdatedAt})
        """);
}
