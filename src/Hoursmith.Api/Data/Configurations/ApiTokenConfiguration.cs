using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Environment).HasConversion<string>().HasMaxLength(8);
        builder.Property(t => t.Prefix).HasMaxLength(12).IsFixedLength();
        builder.Property(t => t.SecretHash).HasMaxLength(32);
        // Authentication looks tokens up by prefix on every request.
        builder.HasIndex(t => t.Prefix).IsUnique();
        builder.HasIndex(t => new { t.WorkspaceId, t.MemberId });
        builder.HasOne(t => t.Workspace).WithMany().HasForeignKey(t => t.WorkspaceId);
        builder.HasOne(t => t.Member).WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
