using CleanAddon.Domain.Installations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanAddon.Application.Sample;

/// <summary>
/// The sample's tables (named by the framework after the module: <c>sample_room_activity</c>, <c>sample_installation_settings</c>),
/// in the sample's own migrations (src/Infrastructure/Sample/Migrations).
/// </summary>
public sealed class RoomActivityConfiguration : IEntityTypeConfiguration<RoomActivity>
{
    public void Configure(EntityTypeBuilder<RoomActivity> builder)
    {
        builder.HasKey(r => new { r.OAuthId, r.RoomId });
        builder.Property(r => r.OAuthId).HasMaxLength(Installation.OAuthIdMaxLength);

        // Two deliveries of one room never count the same echo twice: the second one's commit fails and is retried.
        builder.Property(r => r.EchoCount).IsConcurrencyToken();
    }
}

public sealed class InstallationSettingsConfiguration : IEntityTypeConfiguration<InstallationSettings>
{
    public void Configure(EntityTypeBuilder<InstallationSettings> builder)
    {
        builder.HasKey(s => s.OAuthId);
        builder.Property(s => s.OAuthId).HasMaxLength(Installation.OAuthIdMaxLength);
        builder.Property(s => s.EchoPrefix).HasMaxLength(InstallationSettings.EchoPrefixMaxLength);
        builder.Property(s => s.Color).HasMaxLength(16);
    }
}
