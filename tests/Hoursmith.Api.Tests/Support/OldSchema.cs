using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Tests.Support;

/// <summary>
/// Rows written by migration tests while the database is at an older migration, where the current
/// model no longer matches every column: a client's payment terms were an integer before they became
/// text, and PostgreSQL refuses the model's text parameter (even a null one) for that column.
/// </summary>
public static class OldSchema
{
    /// <summary>A client with the columns every schema since the first has had.</summary>
    public static Task InsertClientAsync(HoursmithDb db, Client client) => db.Database.ExecuteSqlAsync($"""
        INSERT INTO "Clients" ("Id", "WorkspaceId", "Name", "ContactName", "Email", "Currency", "RequirePoNumber", "CreatedAt", "UpdatedAt")
        VALUES ({client.Id}, {client.WorkspaceId}, {client.Name}, {client.ContactName}, {client.Email}, {client.Currency}, {client.RequirePoNumber}, {client.CreatedAt}, {client.UpdatedAt})
        """);
}
