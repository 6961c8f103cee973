using CleanAddon.Domain.Installations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CleanAddon.Infrastructure.Persistence.Configurations;

internal sealed class InstallationConfiguration(ValueConverter<string, string> protect)
    : IEntityTypeConfiguration<Installation>
{
    public void Configure(EntityTypeBuilder<Installation> builder)
    {
        builder.ToTable("installations");
        builder.HasKey(i => i.OAuthId);
        builder.Property(i => i.OAuthId).HasMaxLength(Installation.OAuthIdMaxLength);
        builder.Property(i => i.OAuthSecret).HasConversion(protect);
        builder.Property(i => i.CapabilitiesUrl).HasMaxLength(Installation.UrlMaxLength);
        builder.Property(i => i.TokenUrl).HasMaxLength(Installation.UrlMaxLength);
        builder.Property(i => i.ApiBaseUrl).HasMaxLength(Installation.UrlMaxLength);
        builder.Ignore(i => i.IsGlobal);
        builder.Ignore(i => i.HipChatWebUrl);
        builder.Ignore(i => i.IsRevoked);

        // Instances that see the credentials refused at the same moment race to revoke; only one wins (and logs).
        builder.Property(i => i.RevokedAt).IsConcurrencyToken();
        builder.HasIndex(i => new { i.GroupId, i.RoomId });
    }
}
