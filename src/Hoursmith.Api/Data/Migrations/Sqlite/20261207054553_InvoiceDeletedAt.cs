using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InvoiceDeletedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DeletedAt",
                table: "Invoices",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops a column in place (3.35+); EF Core's DropColumn would rebuild the table and lose its search triggers.
            migrationBuilder.Sql("""ALTER TABLE "Invoices" DROP COLUMN "DeletedAt";""");
        }
    }
}
