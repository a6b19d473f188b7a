using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IdempotencyKeysPerMember : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing records get the empty member id: whose they were is unknown, so the server
            // replays them to no one and refuses their keys until they expire (conventions.md).
            migrationBuilder.DropPrimaryKey(
                name: "PK_IdempotencyRecords",
                table: "IdempotencyRecords");

            migrationBuilder.AddColumn<Guid>(
                name: "MemberId",
                table: "IdempotencyRecords",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddPrimaryKey(
                name: "PK_IdempotencyRecords",
                table: "IdempotencyRecords",
                columns: new[] { "WorkspaceId", "MemberId", "Key" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one record per workspace and key: keep one of those that several members share.
            migrationBuilder.Sql("""
                DELETE FROM "IdempotencyRecords"
                WHERE EXISTS (SELECT 1 FROM "IdempotencyRecords" AS other
                              WHERE other."WorkspaceId" = "IdempotencyRecords"."WorkspaceId"
                                AND other."Key" = "IdempotencyRecords"."Key"
                                AND other."MemberId" < "IdempotencyRecords"."MemberId")
                """);

            migrationBuilder.DropPrimaryKey(
                name: "PK_IdempotencyRecords",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "MemberId",
                table: "IdempotencyRecords");

            migrationBuilder.AddPrimaryKey(
                name: "PK_IdempotencyRecords",
                table: "IdempotencyRecords",
                columns: new[] { "WorkspaceId", "Key" });
        }
    }
}
