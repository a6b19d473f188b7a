using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeysetCreatedAtIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TimeEntries_WorkspaceId_CreatedAt",
                table: "TimeEntries");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_WorkspaceId_CreatedAt",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Projects_WorkspaceId_CreatedAt",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Invoices_WorkspaceId_CreatedAt",
                table: "Invoices");

            migrationBuilder.DropIndex(
                name: "IX_Expenses_WorkspaceId_CreatedAt",
                table: "Expenses");

            migrationBuilder.DropIndex(
                name: "IX_Clients_WorkspaceId_CreatedAt",
                table: "Clients");

            migrationBuilder.CreateIndex(
                name: "IX_TimeEntries_WorkspaceId_CreatedAt_Id",
                table: "TimeEntries",
                columns: new[] { "WorkspaceId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_WorkspaceId_CreatedAt_Id",
                table: "Tasks",
                columns: new[] { "WorkspaceId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_WorkspaceId_CreatedAt_Id",
                table: "Projects",
                columns: new[] { "WorkspaceId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_WorkspaceId_CreatedAt_Id",
                table: "Invoices",
                columns: new[] { "WorkspaceId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Expenses_WorkspaceId_CreatedAt_Id",
                table: "Expenses",
                columns: new[] { "WorkspaceId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Clients_WorkspaceId_CreatedAt_Id",
                table: "Clients",
                columns: new[] { "WorkspaceId", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TimeEntries_WorkspaceId_CreatedAt_Id",
                table: "TimeEntries");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_WorkspaceId_CreatedAt_Id",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Projects_WorkspaceId_CreatedAt_Id",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Invoices_WorkspaceId_CreatedAt_Id",
                table: "Invoices");

            migrationBuilder.DropIndex(
                name: "IX_Expenses_WorkspaceId_CreatedAt_Id",
                table: "Expenses");

            migrationBuilder.DropIndex(
                name: "IX_Clients_WorkspaceId_CreatedAt_Id",
                table: "Clients");

            migrationBuilder.CreateIndex(
                name: "IX_TimeEntries_WorkspaceId_CreatedAt",
                table: "TimeEntries",
                columns: new[] { "WorkspaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_WorkspaceId_CreatedAt",
                table: "Tasks",
                columns: new[] { "WorkspaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_WorkspaceId_CreatedAt",
                table: "Projects",
                columns: new[] { "WorkspaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_WorkspaceId_CreatedAt",
                table: "Invoices",
                columns: new[] { "WorkspaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Expenses_WorkspaceId_CreatedAt",
                table: "Expenses",
                columns: new[] { "WorkspaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Clients_WorkspaceId_CreatedAt",
                table: "Clients",
                columns: new[] { "WorkspaceId", "CreatedAt" });
        }
    }
}
