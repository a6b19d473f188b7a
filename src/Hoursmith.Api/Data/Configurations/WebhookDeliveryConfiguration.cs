using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(500);
        builder.Property(d => d.LastResponseSnippet).HasMaxLength(1024);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(d => d.WorkspaceId);
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId);
        // Pruning an event takes its deliveries with it.
        builder.HasOne<WebhookEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        // The worker's claim: due, pending deliveries in the order they fall due.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.EndpointId, d.CreatedAt });
        builder.HasIndex(d => d.EventId);
    }
}
