using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // ?search= through an FTS5 trigram index per searched table (docs/lists.md, "Search").
            // The names are literal: they are what this migration made, whatever the lists declare later.
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("Clients", "Name", "ContactName", "Email"));
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("Projects", "Name", "Description"));
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("Tasks", "Name", "Description"));
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("TimeEntries", "Note"));
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("Expenses", "Description", "CustomCategory"));
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("Invoices", "Number"));
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("Members", "Name", "Email"));
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("ApiTokens", "Name"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "Clients", "Projects", "Tasks", "TimeEntries", "Expenses", "Invoices", "Members", "ApiTokens" })
            {
                migrationBuilder.Sql(Data.SearchIndexes.DropSqlite(table));
            }
        }
    }
}
