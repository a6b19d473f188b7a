using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hoursmith.Api.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OneRunningTimer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A person may have more than one running timer from before the index: each but the newest
            // stops when the newest started, as starting a timer does (saved as a normal entry).
            migrationBuilder.Sql("UPDATE \"TimeEntries\" SET \"StoppedAt\" = w.\"StartedAt\", \"DurationSeconds\" = CAST(EXTRACT(EPOCH FROM (w.\"StartedAt\" - \"TimeEntries\".\"StartedAt\")) AS bigint), \"UpdatedAt\" = now() FROM (SELECT \"WorkspaceId\", \"MemberId\", \"StartedAt\", \"Id\" FROM (SELECT \"WorkspaceId\", \"MemberId\", \"StartedAt\", \"Id\", ROW_NUMBER() OVER (PARTITION BY \"WorkspaceId\", \"MemberId\" ORDER BY \"StartedAt\" DESC, \"Id\" DESC) AS \"Rank\" FROM \"TimeEntries\" WHERE \"StartedAt\" IS NOT NULL AND \"StoppedAt\" IS NULL AND \"DeletedAt\" IS NULL) AS r WHERE r.\"Rank\" = 1) AS w WHERE \"TimeEntries\".\"WorkspaceId\" = w.\"WorkspaceId\" AND \"TimeEntries\".\"MemberId\" = w.\"MemberId\" AND \"TimeEntries\".\"Id\" <> w.\"Id\" AND \"TimeEntries\".\"StartedAt\" IS NOT NULL AND \"TimeEntries\".\"StoppedAt\" IS NULL AND \"TimeEntries\".\"DeletedAt\" IS NULL;");

            migrationBuilder.CreateIndex(
                name: "IX_TimeEntries_OneRunningTimer",
                table: "TimeEntries",
                columns: new[] { "WorkspaceId", "MemberId" },
                unique: true,
                filter: "\"StartedAt\" IS NOT NULL AND \"StoppedAt\" IS NULL AND \"DeletedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TimeEntries_OneRunningTimer",
                table: "TimeEntries");
        }
    }
}
