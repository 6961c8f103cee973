using CleanAddon.Application.Sample;

namespace CleanAddon.UnitTests.Sample;

public sealed class RoomActivityTests
{
    [Fact]
    public void A_room_starts_without_echoes()
    {
        var room = RoomActivity.Start("oauth-1", 42);

        room.OAuthId.Should().Be("oauth-1");
        room.RoomId.Should().Be(42);
        room.EchoCount.Should().Be(0);
    }

    [Fact]
    public void Each_recorded_echo_counts_once_and_returns_the_new_count()
    {
        var room = RoomActivity.Start("oauth-1", 42);

        var counts = new[] { room.RecordEcho(), room.RecordEcho(), room.RecordEcho() };

        counts.Should().Equal(1, 2, 3);
        room.EchoCount.Should().Be(3);
    }
}
