using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class TimeEntryConfiguration : IEntityTypeConfiguration<TimeEntry>
{
    public const string OneRunningTimerIndex = "IX_TimeEntries_OneRunningTimer";

    public void Configure(EntityTypeBuilder<TimeEntry> builder)
    {
        builder.Property(e => e.Note).HasMaxLength(2000);
        builder.HasQueryFilter(e => e.DeletedAt == null);
        builder.Ignore(e => e.IsRunning);
        // Keyset order of the default sort (-createdAt, id): pages and search walk it without sorting.
        builder.HasIndex(e => new { e.WorkspaceId, e.CreatedAt, e.Id });
        // The common list: one project's entries in a date range, newest day first (keyset on entryDate, id).
        builder.HasIndex(e => new { e.ProjectId, e.EntryDate, e.Id });
        builder.HasIndex(e => new { e.WorkspaceId, e.EntryDate, e.Id });
        builder.HasIndex(e => new { e.WorkspaceId, e.MemberId, e.StoppedAt });
        // One running timer per person, held by the database: two starts racing on two instances
        // cannot both commit (CreateTimeEntry stops the winner's timer and retries).
        builder.HasIndex(e => new { e.WorkspaceId, e.MemberId }, OneRunningTimerIndex).IsUnique()
            .HasFilter("\"StartedAt\" IS NOT NULL AND \"StoppedAt\" IS NULL AND \"DeletedAt\" IS NULL");
        builder.HasIndex(e => e.InvoiceId);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId);
        builder.HasOne<Member>().WithMany().HasForeignKey(e => e.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.Project).WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<WorkTask>().WithMany().HasForeignKey(e => e.TaskId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Invoice>().WithMany().HasForeignKey(e => e.InvoiceId).OnDelete(DeleteBehavior.SetNull);
    }
}
