using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PaymentTermsAsText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "DefaultPaymentTerms",
                table: "Clients",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Text to integer has no implicit cast in PostgreSQL: say how (the data step's down left digits only).
            migrationBuilder.Sql("""ALTER TABLE "Clients" ALTER COLUMN "DefaultPaymentTerms" TYPE integer USING "DefaultPaymentTerms"::integer""");
        }
    }
}
