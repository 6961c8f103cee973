using System.Net;
using CleanAddon.Application.Outbox;
using CleanAddon.Application.Webhooks;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CleanAddon.IntegrationTests.Intake;

/// <summary>
/// What intake leaves behind is purged on a clock the test moves: de-duplication records after 24 hours, dead letters
/// after <c>Outbox:DeadLetterRetention</c> (14 days), each by the add-on's own hourly purge.
/// </summary>
public abstract class RetentionTests(AddonApiFactory factory, FakeTimeProvider clock)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_delivery_is_remembered_for_24_hours_then_forgotten_so_a_later_redelivery_is_handled_again()
    {
        var installation = await factory.InstallAsync(74);
        var webhook = HipChatWebhooks.RoomMessage(installation, 74, "remembered", messageId: Guid.NewGuid().ToString());
        (await _client.SendWebhookAsync(webhook, Jwt(installation, 74))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await factory.HipChat.WaitForDeliveryAsync(74, "echo remembered");
        // The delivery is recorded as done before the clock moves: a lease lapsing mid-delivery would send it again.
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        clock.Advance(TimeSpan.FromHours(23));
        var purgedEarly = await SendAsync(new PurgeReceivedWebhooksCommand());

        purgedEarly.Should().Be(0);
        (await RecordsAsync(installation)).Should().Be(1);

        clock.Advance(TimeSpan.FromHours(2));
        await WaitUntilAsync(async () => await RecordsAsync(installation) == 0);
        (await _client.SendWebhookAsync(webhook, Jwt(installation, 74))).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await factory.SettleRoomAsync(installation, 74, Jwt(installation, 74)))
            .Count(c => c.Succeeded && Deliveries.MessageOf(c) == "echo remembered").Should().Be(2);
    }

    [Fact]
    public async Task A_dead_letter_is_kept_for_the_retention_and_purged_after_it()
    {
        var installation = await factory.InstallAsync(75);
        factory.HipChat.InjectFault(Deliveries.NotificationPath(75), 400);
        (await _client.SendRoomMessageAsync(installation, 75, "refused", Jwt(installation, 75)))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);
        await WaitUntilAsync(async () => await factory.DeadLetteredAsync(installation.OAuthId) == 1);

        clock.Advance(TimeSpan.FromDays(13));
        var purgedEarly = await SendAsync(new PurgeDeadLettersCommand(TimeSpan.FromDays(14)));

        purgedEarly.Should().Be(0);
        (await factory.DeadLetteredAsync(installation.OAuthId)).Should().Be(1);

        clock.Advance(TimeSpan.FromDays(2));
        await WaitUntilAsync(async () => await factory.DeadLetteredAsync(installation.OAuthId) == 0);
    }

    /// <summary>A JWT HipChat signs now, by the add-on's clock.</summary>
    private string Jwt(EmulatedInstallation installation, long room) => HipChatJwt.Sign(
        HipChatJwt.Header(),
        HipChatJwt.Payload(installation.OAuthId, "4979430", room, clock.GetUtcNow(), TimeSpan.FromMinutes(15)),
        installation.OAuthSecret);

    private Task<int> RecordsAsync(EmulatedInstallation installation) =>
        factory.WithDbAsync(db => db.ReceivedWebhooks.CountAsync(w => w.OAuthId == installation.OAuthId, Cancellation));

    private async Task<int> SendAsync(ICommand<int> command)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, Cancellation);
    }

    /// <summary>Waits for the add-on's purge, which runs on its own once the clock passed the hour.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + Deliveries.Timeout;
        while (!await done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Cancellation);
        }

        (await done()).Should().BeTrue("the add-on should have purged by now");
    }
}

public sealed class PostgresRetentionTests(FakeClockAddonFactory<Postgres> factory)
    : RetentionTests(factory, factory.Clock), IClassFixture<FakeClockAddonFactory<Postgres>>;

public sealed class SqliteRetentionTests(FakeClockAddonFactory<Sqlite> factory)
    : RetentionTests(factory, factory.Clock), IClassFixture<FakeClockAddonFactory<Sqlite>>;
