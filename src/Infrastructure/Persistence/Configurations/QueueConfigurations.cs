using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Queues;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanAddon.Infrastructure.Persistence.Configurations;

internal sealed class WebhookJobConfiguration : IEntityTypeConfiguration<WebhookJob>
{
    public void Configure(EntityTypeBuilder<WebhookJob> builder)
    {
        builder.ToTable("webhook_jobs");
        QueueColumns.Configure(builder);
        builder.Property(j => j.WebhookKey).HasMaxLength(WebhookJob.KeyMaxLength);
        builder.Property(j => j.UserId).HasMaxLength(WebhookJob.UserIdMaxLength);
    }
}

internal sealed class HipChatCallConfiguration : IEntityTypeConfiguration<HipChatCall>
{
    public void Configure(EntityTypeBuilder<HipChatCall> builder)
    {
        builder.ToTable("hipchat_calls");
        QueueColumns.Configure(builder);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(32);
    }
}

/// <summary>What both queues share: the lease and retry columns, and the indexes the workers claim rooms with.</summary>
internal static class QueueColumns
{
    /// <summary>Only waiting items are claimed: the index leaves dead letters out.</summary>
    public const string Waiting = "dead_lettered_at IS NULL";

    public static void Configure<T>(EntityTypeBuilder<T> builder)
        where T : QueuedItem
    {
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedOnAdd();
        builder.Property(i => i.OAuthId).HasMaxLength(Installation.OAuthIdMaxLength);
        builder.Property(i => i.LeaseOwner).HasMaxLength(QueuedItem.LeaseOwnerMaxLength);
        builder.Property(i => i.LastError).HasMaxLength(QueuedItem.ErrorMaxLength);
        builder.Property(i => i.TraceParent).HasMaxLength(QueuedItem.TraceParentMaxLength);
        builder.HasIndex(i => new { i.OAuthId, i.RoomId, i.Id }).HasFilter(Waiting);
        builder.HasIndex(i => i.DeadLetteredAt);
        builder.HasOne<Installation>().WithMany().HasForeignKey(i => i.OAuthId).OnDelete(DeleteBehavior.Cascade);
    }
}
