using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>
/// Instances sharing one database, or one taking over from another: stopping, crashing and competing never lose or
/// repeat a message.
/// </summary>
public abstract class MultiInstanceTests(DatabaseProvider provider) : IAsyncLifetime
{
    private HipChatServer _hipChat = null!;
    private string _database = "";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _hipChat = await HipChatServer.StartAsync(cancellationToken: Cancellation);
        _database = await TestDatabase.CreateAsync(provider);
    }

    public async ValueTask DisposeAsync()
    {
        await _hipChat.DisposeAsync();
        TestDatabase.Release(provider, _database);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_message_still_being_retried_when_its_instance_stops_is_delivered_once_by_a_new_instance()
    {
        var room = Deliveries.NewRoom();
        var first = await StartInstanceAsync();
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
        await using var second = await StartInstanceAsync();
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
        var held = _hipChat.Hold("/notification");
        var first = await StartInstanceAsync();
        EmulatedInstallation installation;
        try
        {
            installation = await first.InstallAsync(room: null);
            await Task.WhenAll(texts.Select((text, i) => first.SendAsync(installation, rooms[i % rooms.Count], text)));
            held.Release(8);
            await _hipChat.WaitForAsync("/notification", calls => calls.Count(c => c.Succeeded) >= 8, Deliveries.Timeout);
        }
        finally
        {
            // Stops with calls still held: they are given up after HipChat:RequestTimeout and go back to the queue.
            await first.DisposeAsync();
        }

        var deliveredByFirst = _hipChat.DeliveredNotifications.Count;
        held.Dispose();
        await using var second = await StartInstanceAsync();
        await _hipChat.WaitForAsync("/notification", calls => calls.Count(c => c.Succeeded) >= texts.Count, Deliveries.Timeout);
        await second.WaitUntilSettledAsync(installation.OAuthId);

        deliveredByFirst.Should().Be(8, "HipChat let the first instance deliver 8 messages before it was stopped");
        _hipChat.DeliveredNotifications.Select(Deliveries.MessageOf).Should().OnlyHaveUniqueItems()
            .And.BeEquivalentTo(texts.Select(t => "echo " + t));
        (await second.DeadLetteredAsync(installation.OAuthId)).Should().Be(0);
    }

    [Fact]
    public async Task A_message_leased_by_an_instance_that_crashed_is_delivered_once_after_the_lease_expires()
    {
        var room = Deliveries.NewRoom();
        await using var survivor = await StartInstanceAsync();
        var installation = await survivor.InstallAsync(room);
        var now = DateTimeOffset.UtcNow;
        var leaseExpiresAt = now.AddSeconds(2);
        var payload = """{"message":"echo left behind","message_format":"text","color":"gray","notify":false}""";

        // What a crash mid-send leaves: a row leased by an instance that will never record the outcome.
        await survivor.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO hipchat_calls (o_auth_id, room_id, kind, payload, created_at, attempts, next_attempt_at,
                                       lease_owner, lease_expires_at)
            VALUES ({installation.OAuthId}, {room}, 'RoomNotification', {payload}, {Stored(now)}, 0,
                    {Stored(now)}, 'crashed-instance', {Stored(leaseExpiresAt)})
            """, Cancellation));
        await _hipChat.WaitForDeliveryAsync(room, "echo left behind");
        var calls = await survivor.SettleRoomAsync(installation, room);

        calls.Should().ContainSingle(c => Deliveries.MessageOf(c) == "echo left behind")
            .Which.ReceivedAt.Should().BeOnOrAfter(leaseExpiresAt);
    }

    [Fact]
    public async Task Two_instances_on_one_database_deliver_each_of_200_webhooks_exactly_once_and_in_order()
    {
        await using var one = await StartInstanceAsync();
        await using var two = await StartInstanceAsync();
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

        foreach (var room in rooms)
        {
            var counts = _hipChat.GlanceUpdates.Where(c => c.Succeeded && c.Path.EndsWith($"/addon/ui/room/{room}", StringComparison.Ordinal))
                .Select(Deliveries.GlanceCountOf).ToList();
            counts.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder($"room {room}'s glance updates keep its order")
                .And.EndWith(sent[room].Count);
        }

        (await one.DeadLetteredAsync(installation.OAuthId)).Should().Be(0);
    }

    [Fact]
    public async Task A_web_only_instance_accepts_webhooks_and_works_none_and_a_worker_instance_then_handles_each_once_in_order()
    {
        var rooms = Enumerable.Range(0, 3).Select(_ => Deliveries.NewRoom()).ToList();
        var sent = rooms.ToDictionary(room => room, _ => new List<string>());
        await using var web = await StartInstanceAsync(new Dictionary<string, string>(CommandLog) { ["Worker:Enabled"] = "false" });
        var installation = await web.InstallAsync(room: null);
        for (var i = 0; i < 30; i++)
        {
            var room = rooms[i % rooms.Count];
            await web.SendAsync(installation, room, $"web-only {i}");
            sent[room].Add($"echo web-only {i}");
        }

        var waitingBeforeAWorker = await web.PendingAsync(installation.OAuthId);
        var callsBeforeAWorker = _hipChat.Notifications.Count;
        await using var worker = await StartInstanceAsync(CommandLog);
        foreach (var room in rooms)
        {
            await worker.SettleRoomAsync(installation, room);
        }

        waitingBeforeAWorker.Should().Be(30, "the web-only instance queued every webhook and handled none");
        callsBeforeAWorker.Should().Be(0);
        foreach (var room in rooms)
        {
            _hipChat.DeliveredNotifications.Where(c => c.Path == $"/v2/room/{room}/notification").Select(Deliveries.MessageOf)
                .Where(message => message.StartsWith("echo web-only ", StringComparison.Ordinal))
                .Should().Equal(sent[room], $"room {room} gets each of its messages once, in order");
        }

        Claims(web).Should().BeEmpty("a web-only instance never claims work from either queue");
        Claims(worker).Should().Contain(sql => sql.Contains("UPDATE webhook_jobs SET lease_owner", StringComparison.Ordinal))
            .And.Contain(sql => sql.Contains("UPDATE hipchat_calls SET lease_owner", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Instances_starting_at_once_on_a_database_not_yet_created_create_it_migrate_each_set_once_and_all_serve()
    {
        TestDatabase.Release(provider, _database);
        _database = await TestDatabase.NotYetCreatedAsync(provider);
        var instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => StartInstanceAsync(), Cancellation)));
        try
        {
            var framework = await TestDatabase.QueryAsync(provider, _database, """SELECT "MigrationId" FROM "__EFMigrationsHistory" """);
            var module = await TestDatabase.QueryAsync(provider, _database, """SELECT "MigrationId" FROM "__EFMigrationsHistory_test_addon" """);
            framework.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
            module.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
            foreach (var instance in instances)
            {
                var room = Deliveries.NewRoom();
                var installation = await instance.InstallAsync(room);
                await instance.SendAsync(installation, room, "started together");
                (await instance.SettleRoomAsync(installation, room)).Select(Deliveries.MessageOf)
                    .Should().ContainSingle(message => message == "echo started together");
            }
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    /// <summary>EF Core's log of every command it runs, so that the claims an instance makes can be told apart.</summary>
    private static readonly Dictionary<string, string> CommandLog = new()
    {
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
    };

    /// <summary>The claims (leases taken) an instance's workers ran, from its command log.</summary>
    private static List<string> Claims(AddonApiFactory instance) =>
        [.. instance.Logs.Entries.Where(entry => entry.Contains("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal)
            && entry.Contains("SET lease_owner", StringComparison.Ordinal))];

    private Task<AddonApiFactory> StartInstanceAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        AddonApiFactory.StartSharingAsync(provider, _database, _hipChat, settings);

    /// <summary>A time as the provider stores it (SQLite: Unix milliseconds), for rows written with SQL.</summary>
    private object Stored(DateTimeOffset time) =>
        provider == DatabaseProvider.Sqlite ? time.ToUnixTimeMilliseconds() : time;
}

public sealed class PostgresMultiInstanceTests() : MultiInstanceTests(DatabaseProvider.Postgres);

public sealed class SqliteMultiInstanceTests() : MultiInstanceTests(DatabaseProvider.Sqlite);
