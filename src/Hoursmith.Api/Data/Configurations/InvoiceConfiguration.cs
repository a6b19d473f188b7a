using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> builder)
    {
        builder.HasQueryFilter(i => i.DeletedAt == null);
        builder.Property(i => i.Number).HasMaxLength(40);
        builder.Property(i => i.Currency).HasMaxLength(3);
        builder.Property(i => i.Subtotal).HasConversion<CentsConverter>();
        builder.Property(i => i.DiscountAmount).HasConversion<CentsConverter>();
        builder.Property(i => i.Total).HasConversion<CentsConverter>();
        builder.Property(i => i.AmountPaid).HasConversion<CentsConverter>();
        builder.HasIndex(i => new { i.WorkspaceId, i.Number }).IsUnique();
        builder.HasIndex(i => new { i.WorkspaceId, i.CreatedAt, i.Id });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId);
        builder.HasOne(i => i.Client).WithMany().HasForeignKey(i => i.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId);
    }
}

internal sealed class InvoiceLineConfiguration : IEntityTypeConfiguration<InvoiceLine>
{
    public void Configure(EntityTypeBuilder<InvoiceLine> builder)
    {
        builder.Property(l => l.Description).HasMaxLength(500);
        builder.HasIndex(l => new { l.InvoiceId, l.Position });
    }
}
