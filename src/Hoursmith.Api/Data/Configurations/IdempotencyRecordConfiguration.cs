using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        // Keys are scoped to the member: two people (or two customers) who choose one key never collide.
        builder.HasKey(r => new { r.WorkspaceId, r.MemberId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.ResponseContentType).HasMaxLength(200);
        builder.Property(r => r.ResponseLocation).HasMaxLength(2000);
        builder.HasIndex(r => r.ExpiresAt);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId);
    }
}
