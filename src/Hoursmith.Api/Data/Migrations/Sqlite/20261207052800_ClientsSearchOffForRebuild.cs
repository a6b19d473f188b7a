using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Sqlite
{
    /// <summary>
    /// SQLite changes a column's type by rebuilding the table, which drops the table's search triggers,
    /// and EF Core runs a rebuild after every other step of its migration: so the search index of
    /// Clients is taken down in this migration and made again in the one after the rebuild
    /// (PaymentTermsNames), and the reverse on the way down.
    /// </summary>
    public partial class ClientsSearchOffForRebuild : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Data.SearchIndexes.DropSqlite("Clients"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("Clients", "Name", "ContactName", "Email"));
        }
    }
}
