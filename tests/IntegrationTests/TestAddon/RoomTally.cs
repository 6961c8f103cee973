using CleanAddon.Application.Extensibility;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CleanAddon.IntegrationTests.TestAddon;

/// <summary>The test add-on's state: how many messages it echoed in one room of one installation.</summary>
public sealed class RoomTally : IInstallationOwned
{
    private RoomTally(string oAuthId, long roomId, long echoes)
    {
        OAuthId = oAuthId;
        RoomId = roomId;
        Echoes = echoes;
    }

    public string OAuthId { get; private set; }

    public long RoomId { get; private set; }

    public long Echoes { get; private set; }

    public static RoomTally Start(string oAuthId, long roomId) => new(oAuthId, roomId, 0);

    public long Count() => ++Echoes;
}

/// <summary>Its table is the framework's name for it: <c>test_addon_room_tally</c>.</summary>
public sealed class RoomTallyConfiguration : IEntityTypeConfiguration<RoomTally>
{
    public void Configure(EntityTypeBuilder<RoomTally> builder)
    {
        builder.HasKey(t => new { t.OAuthId, t.RoomId });
        builder.Property(t => t.OAuthId).HasMaxLength(64);

        // Two units of work counting in one room never both win: the later commit fails and is retried.
        builder.Property(t => t.Echoes).IsConcurrencyToken();
    }
}
