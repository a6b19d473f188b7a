using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.Ignore(e => e.Status);
        builder.Property(e => e.Url).HasMaxLength(2000);
        builder.Property(e => e.Description).HasMaxLength(500);
        builder.Property(e => e.EventTypes).HasMaxLength(1000);
        builder.Property(e => e.SecretPrefix).HasMaxLength(20);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId);
        builder.HasIndex(e => new { e.WorkspaceId, e.CreatedAt });
        builder.HasQueryFilter(e => e.DeletedAt == null);
    }
}
