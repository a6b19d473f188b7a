using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Color).HasMaxLength(32);
        builder.HasQueryFilter(p => p.DeletedAt == null);
        builder.HasIndex(p => new { p.WorkspaceId, p.CreatedAt, p.Id });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId);
        builder.HasOne(p => p.Client).WithMany().HasForeignKey(p => p.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.ProjectId);
    }
}

internal sealed class ProjectMemberConfiguration : IEntityTypeConfiguration<ProjectMember>
{
    public void Configure(EntityTypeBuilder<ProjectMember> builder)
    {
        builder.HasKey(m => new { m.ProjectId, m.MemberId });
        builder.HasIndex(m => m.MemberId);
        builder.HasOne<Member>().WithMany().HasForeignKey(m => m.MemberId);
    }
}
