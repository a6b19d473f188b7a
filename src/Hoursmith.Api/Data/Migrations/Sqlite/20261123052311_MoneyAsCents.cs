using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Sqlite
{
    /// <summary>
    /// Converts amounts written as decimal text before the columns became whole cents. Kept apart from
    /// the table rebuild that changed the columns, so it runs on the rebuilt tables.
    /// </summary>
    public partial class MoneyAsCents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Expenses\" SET \"Amount\" = CAST(ROUND(\"Amount\" * 100) AS INTEGER);");
            migrationBuilder.Sql("UPDATE \"Invoices\" SET \"Subtotal\" = CAST(ROUND(\"Subtotal\" * 100) AS INTEGER), \"DiscountAmount\" = CAST(ROUND(\"DiscountAmount\" * 100) AS INTEGER), \"Total\" = CAST(ROUND(\"Total\" * 100) AS INTEGER), \"AmountPaid\" = CAST(ROUND(\"AmountPaid\" * 100) AS INTEGER);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Expenses\" SET \"Amount\" = \"Amount\" / 100.0;");
            migrationBuilder.Sql("UPDATE \"Invoices\" SET \"Subtotal\" = \"Subtotal\" / 100.0, \"DiscountAmount\" = \"DiscountAmount\" / 100.0, \"Total\" = \"Total\" / 100.0, \"AmountPaid\" = \"AmountPaid\" / 100.0;");
        }
    }
}
