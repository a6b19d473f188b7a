using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class SignInLinkConfiguration : IEntityTypeConfiguration<SignInLink>
{
    public void Configure(EntityTypeBuilder<SignInLink> builder)
    {
        builder.Property(l => l.CodeHash).HasMaxLength(32);
        // A link is found by the hash of its code, and consumed by a conditional update on it.
        builder.HasIndex(l => l.CodeHash).IsUnique();
        builder.HasIndex(l => l.ExpiresAt);
        builder.HasOne(l => l.Member).WithMany().HasForeignKey(l => l.MemberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(l => l.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
