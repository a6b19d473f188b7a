using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Postgres
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
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "Invoices");
        }
    }
}
