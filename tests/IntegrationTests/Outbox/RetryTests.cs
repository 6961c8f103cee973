using CleanAddon.Application.Outbox;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>HipChat failing, limiting or hanging: every message still reaches it once, in its room's order.</summary>
public abstract class RetryTests(AddonApiFactory factory)
{
    private HipChatServer HipChat => factory.HipChat;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_notification_answered_503_three_times_is_delivered_once_on_the_fourth_attempt()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        HipChat.InjectFault(Deliveries.NotificationPath(room), 503, times: 3);

        await factory.SendAsync(installation, room, "unstable");
        await HipChat.WaitForDeliveryAsync(room, "echo unstable");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        var calls = HipChat.Notifications.Where(c => Deliveries.MessageOf(c) == "echo unstable").ToList();
        calls.Select(c => c.Status).Should().Equal(503, 503, 503, 204);
        (await factory.DeadLetteredAsync(installation.OAuthId)).Should().Be(0);
    }

    [Fact]
    public async Task Responses_slower_than_the_request_timeout_are_given_up_retried_and_each_message_is_delivered_once_in_order()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var texts = Enumerable.Range(1, 3).Select(i => $"slow {i}").ToList();
        HipChat.InjectDelay(Deliveries.NotificationPath(room), TimeSpan.FromSeconds(6));

        foreach (var text in texts)
        {
            await factory.SendAsync(installation, room, text);
        }

        await HipChat.WaitForDeliveryAsync(room, "echo slow 3");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        var calls = HipChat.Notifications.Where(c => c.Path == $"/v2/room/{room}/notification").ToList();
        calls[0].Status.Should().Be(499, "the add-on gave up on the call HipChat was answering too slowly (HipChat:RequestTimeout)");
        Deliveries.MessageOf(calls[0]).Should().Be("echo slow 1");
        calls.Where(c => c.Succeeded).Select(Deliveries.MessageOf).Should().Equal(texts.Select(t => "echo " + t));
    }

    [Fact]
    public async Task A_message_hipchat_keeps_failing_is_dead_lettered_after_the_configured_attempts_and_listed()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        HipChat.InjectFault(Deliveries.NotificationPath(room), 502, times: OutboxSettings.MaxAttempts);

        await factory.SendAsync(installation, room, "doomed");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        HipChat.Notifications.Count(c => Deliveries.MessageOf(c) == "echo doomed").Should().Be(OutboxSettings.MaxAttempts);
        var deadLetter = (await DeadLettersAsync(installation.OAuthId)).Should().ContainSingle().Subject;
        deadLetter.Kind.Should().Be("room-notification");
        deadLetter.RoomId.Should().Be(room);
        deadLetter.Attempts.Should().Be(OutboxSettings.MaxAttempts);
        deadLetter.LastError.Should().Be("HipChat answered 502");
        HipChat.GlanceUpdates.Should().Contain(c => c.Path.EndsWith($"/room/{room}", StringComparison.Ordinal) && c.Succeeded,
            "a dead letter does not block the messages of its room behind it");
    }

    [Fact]
    public async Task A_notification_hipchat_refuses_is_dead_lettered_at_once_with_hipchats_reason()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        HipChat.InjectFault(Deliveries.NotificationPath(room), 400);

        await factory.SendAsync(installation, room, "refused");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        var deadLetter = (await DeadLettersAsync(installation.OAuthId)).Should().ContainSingle().Subject;
        deadLetter.Attempts.Should().Be(1);
        deadLetter.LastError.Should().Be("HipChat refused the call (400): Injected fault");
    }

    private async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string oAuthId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>()
            .Send(new GetDeadLettersQuery(oAuthId), Cancellation);
    }
}

public sealed class PostgresRetryTests(OutboxApiFactory<Postgres> factory)
    : RetryTests(factory), IClassFixture<OutboxApiFactory<Postgres>>;

public sealed class SqliteRetryTests(OutboxApiFactory<Sqlite> factory)
    : RetryTests(factory), IClassFixture<OutboxApiFactory<Sqlite>>;
