using System.Globalization;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>
/// HipChat asking the add-on to wait (429 <c>Retry-After</c>, flood control used up): the message waits exactly until
/// the time HipChat named, on a clock the test moves, so no timing of the machine decides the outcome.
/// </summary>
public abstract class HipChatPauseTests(AddonApiFactory factory, FakeTimeProvider clock)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_429_with_retry_after_is_retried_no_sooner_than_hipchat_asked()
    {
        var room = StartInNewRoom();
        var installation = await factory.InstallAsync(room);
        factory.HipChat.InjectFault(
            Deliveries.NotificationPath(room), 429, headers: new Dictionary<string, string> { ["Retry-After"] = "120" });

        await factory.SendAsync(installation, room, "limited");
        var waiting = await WaitForRoomToWaitAsync(installation.OAuthId, room);
        clock.Advance(TimeSpan.FromSeconds(120));
        await factory.HipChat.WaitForDeliveryAsync(room, "echo limited");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        waiting.NextAttemptAt.Should().Be(waiting.RefusedAt + TimeSpan.FromSeconds(120));
        waiting.Attempts.Should().Be(1);
        factory.HipChat.NotificationsSaying(room, "echo limited").Select(c => c.Status).Should().Equal(429, 204);
    }

    [Fact]
    public async Task A_429_naming_an_exhausted_flood_control_is_retried_at_its_reset()
    {
        var room = StartInNewRoom();
        var installation = await factory.InstallAsync(room);
        var reset = WholeSecondAfter(clock.GetUtcNow().AddMinutes(1));
        factory.HipChat.InjectFault(Deliveries.NotificationPath(room), 429, headers: FloodControlExhaustedUntil(reset));

        await factory.SendAsync(installation, room, "flooded");
        var waiting = await WaitForRoomToWaitAsync(installation.OAuthId, room);
        clock.SetUtcNow(reset);
        await factory.HipChat.WaitForDeliveryAsync(room, "echo flooded");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        waiting.NextAttemptAt.Should().Be(reset);
        factory.HipChat.NotificationsSaying(room, "echo flooded").Select(c => c.Status).Should().Equal(429, 204);
    }

    [Fact]
    public async Task A_success_leaving_no_flood_control_pauses_the_room_until_the_reset()
    {
        var room = StartInNewRoom();
        var installation = await factory.InstallAsync(room);
        var reset = WholeSecondAfter(clock.GetUtcNow().AddMinutes(1));
        factory.HipChat.InjectFault(Deliveries.NotificationPath(room), 204, headers: FloodControlExhaustedUntil(reset));

        await factory.SendAsync(installation, room, "last one this minute");
        await factory.SendAsync(installation, room, "after the reset");
        var waiting = await WaitForRoomToWaitAsync(installation.OAuthId, room);
        var callsDuringThePause = RoomCalls(room);
        clock.SetUtcNow(reset);
        await factory.HipChat.WaitForDeliveryAsync(room, "echo after the reset");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        waiting.NextAttemptAt.Should().Be(reset);
        waiting.Attempts.Should().Be(0, "a pause is not a failed attempt");
        callsDuringThePause.Select(Deliveries.MessageOf).Should().Equal("echo last one this minute");
        RoomCalls(room).Should().OnlyContain(c => c.Succeeded);
        RoomCalls(room).Where(c => c.Path.EndsWith(Deliveries.NotificationPath(room), StringComparison.Ordinal))
            .Select(Deliveries.MessageOf).Should().Equal("echo last one this minute", "echo after the reset");
        (await factory.HipChat.GlanceCountsUntilAsync(room, 2)).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(
            "the first update is not sent when one unit of work handled both messages");
    }

    /// <summary>
    /// A fresh room, and the test's clock on a whole second no earlier than real time: HipChat's JWTs are current,
    /// and times the store keeps (to the millisecond on SQLite) compare exactly.
    /// </summary>
    private long StartInNewRoom()
    {
        var now = DateTimeOffset.UtcNow > clock.GetUtcNow() ? DateTimeOffset.UtcNow : clock.GetUtcNow();
        clock.SetUtcNow(WholeSecondAfter(now));
        return Deliveries.NewRoom();
    }

    /// <summary>
    /// Waits until the room's first pending message is put back to wait (unleased, due later than now): the barrier
    /// after which nothing more reaches HipChat for the room until the clock moves.
    /// </summary>
    private async Task<WaitingMessage> WaitForRoomToWaitAsync(string oAuthId, long room)
    {
        var deadline = DateTimeOffset.UtcNow + Deliveries.Timeout;
        while (true)
        {
            var head = await factory.WithDbAsync(db => db.HipChatCalls.AsNoTracking()
                .Where(m => m.OAuthId == oAuthId && m.RoomId == room && m.DeadLetteredAt == null)
                .OrderBy(m => m.Id).FirstOrDefaultAsync(Cancellation));
            if (head is { LeaseOwner: null } && head.NextAttemptAt > clock.GetUtcNow())
            {
                return new WaitingMessage(head.NextAttemptAt, head.Attempts, clock.GetUtcNow());
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Room {room} never waited; its first pending message: {head?.Kind} "
                    + $"due {head?.NextAttemptAt:O}, leased by {head?.LeaseOwner ?? "nobody"}, clock {clock.GetUtcNow():O}.");
            }

            await Task.Delay(50, Cancellation);
        }
    }

    private List<RecordedCall> RoomCalls(long room) =>
        [.. factory.HipChat.Calls.Where(c => c.Path.EndsWith($"/room/{room}/notification", StringComparison.Ordinal)
            || c.Path.EndsWith($"/addon/ui/room/{room}", StringComparison.Ordinal))];

    /// <summary>HipChat's resets are whole Unix seconds.</summary>
    private static DateTimeOffset WholeSecondAfter(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds() + 1);

    private static Dictionary<string, string> FloodControlExhaustedUntil(DateTimeOffset reset) => new()
    {
        ["X-FloodControl-Limit"] = "30",
        ["X-FloodControl-Remaining"] = "0",
        ["X-FloodControl-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The room's first pending message as it waits, and the test clock's time then (nothing moved it since the refusal).</summary>
    private sealed record WaitingMessage(DateTimeOffset NextAttemptAt, int Attempts, DateTimeOffset RefusedAt);
}

public sealed class PostgresHipChatPauseTests(FakeClockAddonFactory<Postgres> factory)
    : HipChatPauseTests(factory, factory.Clock), IClassFixture<FakeClockAddonFactory<Postgres>>;

public sealed class SqliteHipChatPauseTests(FakeClockAddonFactory<Sqlite> factory)
    : HipChatPauseTests(factory, factory.Clock), IClassFixture<FakeClockAddonFactory<Sqlite>>;
