using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanAddon.Infrastructure.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedOnAdd();
        builder.Property(m => m.OAuthId).HasMaxLength(Installation.OAuthIdMaxLength);
        builder.Property(m => m.Kind).HasMaxLength(OutboxMessage.KindMaxLength);
        builder.Property(m => m.LeaseOwner).HasMaxLength(64);
        builder.Property(m => m.LastError).HasMaxLength(OutboxMessage.ErrorMaxLength);
        builder.Property(m => m.TraceParent).HasMaxLength(OutboxMessage.TraceParentMaxLength);
        builder.HasIndex(m => new { m.OAuthId, m.RoomId, m.Id });
        builder.HasIndex(m => m.NextAttemptAt);
        builder.HasOne<Installation>().WithMany().HasForeignKey(m => m.OAuthId).OnDelete(DeleteBehavior.Cascade);
    }
}
