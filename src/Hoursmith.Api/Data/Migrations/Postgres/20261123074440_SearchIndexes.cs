using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_TimeEntries_Note_Trgm",
                table: "TimeEntries",
                column: "Note")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Description_Trgm",
                table: "Tasks",
                column: "Description")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Name_Trgm",
                table: "Tasks",
                column: "Name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Description_Trgm",
                table: "Projects",
                column: "Description")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Name_Trgm",
                table: "Projects",
                column: "Name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Members_Email_Trgm",
                table: "Members",
                column: "Email")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Members_Name_Trgm",
                table: "Members",
                column: "Name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_Number_Trgm",
                table: "Invoices",
                column: "Number")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Expenses_CustomCategory_Trgm",
                table: "Expenses",
                column: "CustomCategory")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Expenses_Description_Trgm",
                table: "Expenses",
                column: "Description")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Clients_ContactName_Trgm",
                table: "Clients",
                column: "ContactName")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Clients_Email_Trgm",
                table: "Clients",
                column: "Email")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Clients_Name_Trgm",
                table: "Clients",
                column: "Name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_Name_Trgm",
                table: "ApiTokens",
                column: "Name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TimeEntries_Note_Trgm",
                table: "TimeEntries");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_Description_Trgm",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_Name_Trgm",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Projects_Description_Trgm",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Projects_Name_Trgm",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Members_Email_Trgm",
                table: "Members");

            migrationBuilder.DropIndex(
                name: "IX_Members_Name_Trgm",
                table: "Members");

            migrationBuilder.DropIndex(
                name: "IX_Invoices_Number_Trgm",
                table: "Invoices");

            migrationBuilder.DropIndex(
                name: "IX_Expenses_CustomCategory_Trgm",
                table: "Expenses");

            migrationBuilder.DropIndex(
                name: "IX_Expenses_Description_Trgm",
                table: "Expenses");

            migrationBuilder.DropIndex(
                name: "IX_Clients_ContactName_Trgm",
                table: "Clients");

            migrationBuilder.DropIndex(
                name: "IX_Clients_Email_Trgm",
                table: "Clients");

            migrationBuilder.DropIndex(
                name: "IX_Clients_Name_Trgm",
                table: "Clients");

            migrationBuilder.DropIndex(
                name: "IX_ApiTokens_Name_Trgm",
                table: "ApiTokens");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
