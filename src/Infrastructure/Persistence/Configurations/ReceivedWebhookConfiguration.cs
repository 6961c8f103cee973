using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanAddon.Infrastructure.Persistence.Configurations;

internal sealed class ReceivedWebhookConfiguration : IEntityTypeConfiguration<ReceivedWebhook>
{
    public void Configure(EntityTypeBuilder<ReceivedWebhook> builder)
    {
        builder.ToTable("received_webhooks");
        builder.HasKey(w => new { w.OAuthId, w.WebhookId, w.Event, w.MessageId });
        builder.Property(w => w.OAuthId).HasMaxLength(Installation.OAuthIdMaxLength);
        builder.Property(w => w.Event).HasMaxLength(ReceivedWebhook.EventMaxLength);
        builder.Property(w => w.MessageId).HasMaxLength(ReceivedWebhook.MessageIdMaxLength);
        builder.HasIndex(w => w.ReceivedAt);
        builder.HasOne<Installation>().WithMany().HasForeignKey(w => w.OAuthId).OnDelete(DeleteBehavior.Cascade);
    }
}
