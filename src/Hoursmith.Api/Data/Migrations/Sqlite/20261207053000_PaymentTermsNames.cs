using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaymentTermsNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Data.SearchIndexes.CreateSqlite("Clients", "Name", "ContactName", "Email"));
            // Stored day counts become the reference's terms (kept by their enum names, as every enum is);
            // a count that names no term (e.g. 45) has none: null, the workspace default.
            migrationBuilder.Sql("""
                UPDATE "Clients" SET "DefaultPaymentTerms" = CASE "DefaultPaymentTerms"
                    WHEN '0' THEN 'DueOnReceipt' WHEN '7' THEN 'Net7' WHEN '14' THEN 'Net14'
                    WHEN '15' THEN 'Net15' WHEN '30' THEN 'Net30' WHEN '60' THEN 'Net60' ELSE NULL END
                WHERE "DefaultPaymentTerms" IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "Clients" SET "DefaultPaymentTerms" = CASE "DefaultPaymentTerms"
                    WHEN 'DueOnReceipt' THEN '0' WHEN 'Net7' THEN '7' WHEN 'Net14' THEN '14'
                    WHEN 'Net15' THEN '15' WHEN 'Net30' THEN '30' WHEN 'Net60' THEN '60' ELSE NULL END
                WHERE "DefaultPaymentTerms" IS NOT NULL
                """);
            migrationBuilder.Sql(Data.SearchIndexes.DropSqlite("Clients"));
        }
    }
}
