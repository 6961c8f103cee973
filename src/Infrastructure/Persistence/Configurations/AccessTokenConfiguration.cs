using CleanAddon.Domain.Installations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CleanAddon.Infrastructure.Persistence.Configurations;

internal sealed class AccessTokenConfiguration(ValueConverter<string, string> protect)
    : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> builder)
    {
        builder.ToTable("access_tokens");
        builder.HasKey(t => new { t.OAuthId, t.Scopes });
        builder.Property(t => t.OAuthId).HasMaxLength(Installation.OAuthIdMaxLength);
        builder.Property(t => t.Scopes).HasMaxLength(AccessToken.ScopesMaxLength);
        builder.Property(t => t.Value).HasConversion(protect);
        builder.HasOne<Installation>().WithMany().HasForeignKey(t => t.OAuthId).OnDelete(DeleteBehavior.Cascade);
    }
}
