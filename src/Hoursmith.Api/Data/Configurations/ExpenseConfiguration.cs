using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class ExpenseConfiguration : IEntityTypeConfiguration<Expense>
{
    public void Configure(EntityTypeBuilder<Expense> builder)
    {
        builder.Property(e => e.Description).HasMaxLength(500);
        builder.Property(e => e.CustomCategory).HasMaxLength(100);
        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.Amount).HasConversion<CentsConverter>();
        builder.HasQueryFilter(e => e.DeletedAt == null);
        builder.HasIndex(e => new { e.WorkspaceId, e.CreatedAt, e.Id });
        builder.HasIndex(e => e.InvoiceId);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId);
        builder.HasOne(e => e.Client).WithMany().HasForeignKey(e => e.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Invoice>().WithMany().HasForeignKey(e => e.InvoiceId).OnDelete(DeleteBehavior.SetNull);
    }
}
