using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanAddon.Infrastructure.Persistence.Configurations;

internal sealed class RoomActivityConfiguration : IEntityTypeConfiguration<RoomActivity>
{
    public void Configure(EntityTypeBuilder<RoomActivity> builder)
    {
        builder.ToTable("rooms");
        builder.HasKey(r => new { r.OAuthId, r.RoomId });
        builder.Property(r => r.OAuthId).HasMaxLength(Installation.OAuthIdMaxLength);
        builder.Property(r => r.EchoCount).IsConcurrencyToken();
        builder.HasOne<Installation>().WithMany().HasForeignKey(r => r.OAuthId).OnDelete(DeleteBehavior.Cascade);
    }
}
