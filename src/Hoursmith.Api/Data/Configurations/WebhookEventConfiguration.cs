using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId);
        // Pruning walks events by age.
        builder.HasIndex(e => e.CreatedAt);
    }
}
