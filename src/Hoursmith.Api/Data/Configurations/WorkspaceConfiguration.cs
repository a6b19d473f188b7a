using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hoursmith.Api.Data.Configurations;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.Property(w => w.Name).HasMaxLength(200);
        builder.Property(w => w.Plan).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.PlanStatus).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.Currency).HasMaxLength(3).IsFixedLength();
        builder.HasMany(w => w.Members).WithOne(m => m.Workspace).HasForeignKey(m => m.WorkspaceId);
    }
}
