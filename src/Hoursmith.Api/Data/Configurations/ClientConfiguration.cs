using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Currency).HasMaxLength(3);
        builder.HasQueryFilter(c => c.DeletedAt == null);
        builder.HasIndex(c => new { c.WorkspaceId, c.CreatedAt, c.Id });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId);
    }
}
