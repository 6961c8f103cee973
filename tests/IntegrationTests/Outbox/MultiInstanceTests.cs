using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>Instances sharing one PostgreSQL database: stopping, crashing and competing never lose or repeat a message.</summary>
public sealed class MultiInstanceTests : IAsyncLifetime
{
    private HipChatServer _hipChat = null!;
    private string _database = "";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _hipChat = await HipChatServer.StartAsync(cancellationToken: Cancellation);
        _database = await TestDatabase.CreatePostgresAsync();
    }

    public async ValueTask DisposeAsync() => await _hipChat.DisposeAsync();

    [Fact]
    public async Task A_message_still_being_retried_when_its_instance_stops_is_delivered_once_by_a_new_instance()
    {
        var room = Deliveries.NewRoom();
        var first = await AddonApiFactory.StartSharingAsync(_database, _hipChat);
        EmulatedInstallation installation;
        try
        {
            installation = await first.InstallAsync(room);
            _hipChat.InjectFault(Deliveries.NotificationPath(room), 503, times: 1000);
            await first.SendAsync(installation, room, "outlives its host");
            await _hipChat.WaitForAsync(
                Deliveries.NotificationPath(room), calls => calls.Count(c => c.Status == 503) >= 2, Deliveries.Timeout);
        }
        finally
        {
            await first.DisposeAsync();
        }

        _hipChat.ClearFaults();
        await using var second = await AddonApiFactory.StartSharingAsync(_database, _hipChat);
        await _hipChat.WaitForDeliveryAsync(room, "echo outlives its host");
        await second.WaitUntilSettledAsync(installation.OAuthId);

        _hipChat.DeliveredNotifications.Count(c => Deliveries.MessageOf(c) == "echo outlives its host").Should().Be(1);
        (await second.DeadLetteredAsync(installation.OAuthId)).Should().Be(0);
    }

    [Fact]
    public async Task Stopping_an_instance_mid_load_loses_and_repeats_nothing_and_a_new_instance_finishes_the_rest()
    {
        var rooms = Enumerable.Range(0, 4).Select(_ => Deliveries.NewRoom()).ToList();
        var texts = Enumerable.Range(0, 60).Select(i => $"mid-load {i}").ToList();
        var first = await AddonApiFactory.StartSharingAsync(_database, _hipChat);
        EmulatedInstallation installation;
        try
        {
            installation = await first.InstallAsync(room: null);
            _hipChat.InjectFault("/notification", 204, times: 1000, delay: TimeSpan.FromMilliseconds(150));
            for (var i = 0; i < texts.Count; i++)
            {
                await first.SendAsync(installation, rooms[i % rooms.Count], texts[i]);
            }

            await _hipChat.WaitForAsync("/notification", calls => calls.Count(c => c.Succeeded) >= 8, Deliveries.Timeout);
        }
        finally
        {
            await first.DisposeAsync();
        }

        var deliveredByFirst = _hipChat.DeliveredNotifications.Count;
        await using var second = await AddonApiFactory.StartSharingAsync(_database, _hipChat);
        await _hipChat.WaitForAsync("/notification", calls => calls.Count(c => c.Succeeded) >= texts.Count, Deliveries.Timeout);
        await second.WaitUntilSettledAsync(installation.OAuthId);

        deliveredByFirst.Should().BeLessThan(texts.Count, "the first instance was stopped mid-load");
        _hipChat.DeliveredNotifications.Select(Deliveries.MessageOf).Should().OnlyHaveUniqueItems()
            .And.BeEquivalentTo(texts.Select(t => "echo " + t));
        (await second.DeadLetteredAsync(installation.OAuthId)).Should().Be(0);
    }

    [Fact]
    public async Task A_message_leased_by_an_instance_that_crashed_is_delivered_once_after_the_lease_expires()
    {
        var room = Deliveries.NewRoom();
        await using var survivor = await AddonApiFactory.StartSharingAsync(_database, _hipChat);
        var installation = await survivor.InstallAsync(room);
        var leaseExpiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var payload = """{"message":"echo left behind","message_format":"text","color":"gray","notify":false}""";

        // What a crash mid-send leaves: a row leased by an instance that will never record the outcome.
        await survivor.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO outbox_messages (o_auth_id, room_id, kind, payload, created_at, attempts, next_attempt_at,
                                         lease_owner, lease_expires_at)
            VALUES ({installation.OAuthId}, {room}, 'room-notification', {payload}, {DateTimeOffset.UtcNow}, 0,
                    {DateTimeOffset.UtcNow}, 'crashed-instance', {leaseExpiresAt})
            """, Cancellation));
        var calls = await _hipChat.WaitForDeliveryAsync(room, "echo left behind");
        await survivor.WaitUntilSettledAsync(installation.OAuthId);

        calls.Should().ContainSingle().Which.ReceivedAt.Should().BeOnOrAfter(leaseExpiresAt);
    }

    [Fact]
    public async Task Two_instances_on_one_database_deliver_each_of_200_webhooks_exactly_once_and_in_order()
    {
        await using var one = await AddonApiFactory.StartSharingAsync(_database, _hipChat);
        await using var two = await AddonApiFactory.StartSharingAsync(_database, _hipChat);
        var installation = await one.InstallAsync(room: null);
        var rooms = Enumerable.Range(0, 5).Select(_ => Deliveries.NewRoom()).ToList();
        var sent = rooms.ToDictionary(room => room, _ => new List<string>());

        for (var i = 0; i < 200; i++)
        {
            var room = rooms[i % rooms.Count];
            var text = $"shared {i}";
            await (i % 2 == 0 ? one : two).SendAsync(installation, room, text);
            sent[room].Add("echo " + text);
        }

        await _hipChat.WaitForAsync(
            "/notification",
            calls => calls.Count(c => c.Succeeded && Deliveries.MessageOf(c).StartsWith("echo shared ", StringComparison.Ordinal)) >= 200,
            Deliveries.Timeout);
        await one.WaitUntilSettledAsync(installation.OAuthId);

        var delivered = _hipChat.DeliveredNotifications
            .Where(c => Deliveries.MessageOf(c).StartsWith("echo shared ", StringComparison.Ordinal)).ToList();
        delivered.Select(Deliveries.MessageOf).Should().OnlyHaveUniqueItems().And.HaveCount(200);
        foreach (var room in rooms)
        {
            delivered.Where(c => c.Path == $"/v2/room/{room}/notification").Select(Deliveries.MessageOf)
                .Should().Equal(sent[room], $"room {room} keeps its order");
        }

        _hipChat.GlanceUpdates.Count(c => c.Succeeded).Should().Be(200);
        (await one.DeadLetteredAsync(installation.OAuthId)).Should().Be(0);
    }
}
