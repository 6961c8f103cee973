using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanAddon.Infrastructure.Persistence.Configurations;

internal sealed class InstallationSettingsConfiguration : IEntityTypeConfiguration<InstallationSettings>
{
    public void Configure(EntityTypeBuilder<InstallationSettings> builder)
    {
        builder.ToTable("installation_settings");
        builder.HasKey(s => s.OAuthId);
        builder.Property(s => s.OAuthId).HasMaxLength(Installation.OAuthIdMaxLength);
        builder.Property(s => s.EchoPrefix).HasMaxLength(InstallationSettings.EchoPrefixMaxLength);
        builder.Property(s => s.Color).HasMaxLength(16);
        builder.HasOne<Installation>().WithMany().HasForeignKey(s => s.OAuthId).OnDelete(DeleteBehavior.Cascade);
    }
}
