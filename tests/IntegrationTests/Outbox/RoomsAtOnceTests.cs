using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>
/// One instance works several rooms at the same time (<c>Outbox:ConcurrentRooms</c>), each room's items one after the
/// other: a room stuck on HipChat holds up no other, and every room still gets each of its messages once, in order.
/// </summary>
public abstract class RoomsAtOnceTests(AddonApiFactory factory)
{
    [Fact]
    public async Task A_room_whose_calls_hang_holds_up_no_other_room_and_still_gets_its_messages_once_in_order()
    {
        var installation = await factory.InstallAsync(room: null);
        var stuck = Deliveries.NewRoom();
        var others = Enumerable.Range(0, 5).Select(_ => Deliveries.NewRoom()).ToList();
        var held = factory.HipChat.Hold(Deliveries.NotificationPath(stuck));
        var sent = new Dictionary<long, List<string>> { [stuck] = [] };
        foreach (var i in Enumerable.Range(1, 3))
        {
            await factory.SendAsync(installation, stuck, $"stuck {i}");
            sent[stuck].Add($"echo stuck {i}");
        }

        foreach (var room in others)
        {
            sent[room] = [];
            foreach (var i in Enumerable.Range(1, 3))
            {
                await factory.SendAsync(installation, room, $"free {i}");
                sent[room].Add($"echo free {i}");
            }
        }

        // Every other room is worked to its end while the stuck room's first call is still held.
        foreach (var room in others)
        {
            await factory.SettleRoomAsync(installation, room);
        }

        var stuckMeanwhile = Delivered(stuck);
        held.Dispose();
        await factory.SettleRoomAsync(installation, stuck);

        stuckMeanwhile.Should().BeEmpty("the stuck room's first call was held all along");
        foreach (var (room, messages) in sent)
        {
            Delivered(room).Should().Equal(messages, $"room {room} gets each of its messages once, in order");
        }
    }

    [Fact]
    public async Task Many_rooms_worked_at_once_through_failures_get_each_message_once_and_in_order()
    {
        var installation = await factory.InstallAsync(room: null);
        var rooms = Enumerable.Range(0, 8).Select(_ => Deliveries.NewRoom()).ToList();
        foreach (var room in rooms)
        {
            factory.HipChat.InjectFault(Deliveries.NotificationPath(room), 503, times: 2);
        }

        // The rooms' webhooks arrive at the same time, each room's one after the other.
        await Task.WhenAll(rooms.Select(async room =>
        {
            foreach (var i in Enumerable.Range(1, 12))
            {
                await factory.SendAsync(installation, room, $"busy {i}");
            }
        }));
        foreach (var room in rooms)
        {
            await factory.SettleRoomAsync(installation, room);
        }

        foreach (var room in rooms)
        {
            Delivered(room).Should().Equal(Enumerable.Range(1, 12).Select(i => $"echo busy {i}"), $"room {room} keeps its order");
        }
    }

    /// <summary>What the room received, markers left out.</summary>
    private List<string> Delivered(long room) =>
        [.. factory.HipChat.DeliveredNotifications.Where(c => c.Path == $"/v2/room/{room}/notification")
            .Select(Deliveries.MessageOf).Where(message => !message.StartsWith("echo marker", StringComparison.Ordinal))];

    /// <summary>Four rooms at a time, fewer than the rooms the tests keep busy, so that rooms also wait for a free slot.</summary>
    public sealed class FourRoomsFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Outbox:ConcurrentRooms"] = "4",
        };
    }
}

public sealed class PostgresRoomsAtOnceTests(RoomsAtOnceTests.FourRoomsFactory<Postgres> factory)
    : RoomsAtOnceTests(factory), IClassFixture<RoomsAtOnceTests.FourRoomsFactory<Postgres>>;

public sealed class SqliteRoomsAtOnceTests(RoomsAtOnceTests.FourRoomsFactory<Sqlite> factory)
    : RoomsAtOnceTests(factory), IClassFixture<RoomsAtOnceTests.FourRoomsFactory<Sqlite>>;
