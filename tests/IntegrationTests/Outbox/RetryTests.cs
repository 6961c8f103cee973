using System.Globalization;
using CleanAddon.Application.Outbox;
using CleanAddon.HipChatEmulator;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>HipChat failing, limiting or hanging: every message still reaches it once, in its room's order.</summary>
public sealed class RetryTests(OutboxApiFactory factory) : IClassFixture<OutboxApiFactory>
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
    public async Task A_429_with_retry_after_is_retried_no_sooner_than_hipchat_asked()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        HipChat.InjectFault(Deliveries.NotificationPath(room), 429, headers: new Dictionary<string, string> { ["Retry-After"] = "2" });

        await factory.SendAsync(installation, room, "limited");
        var calls = await HipChat.WaitForDeliveryAsync(room, "echo limited");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        calls.Select(c => c.Status).Should().Equal(429, 204);
        (calls[1].ReceivedAt - calls[0].ReceivedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_429_naming_an_exhausted_flood_control_is_retried_after_its_reset()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var reset = NextWholeSecond().AddSeconds(1);
        HipChat.InjectFault(Deliveries.NotificationPath(room), 429, headers: FloodControlExhaustedUntil(reset));

        await factory.SendAsync(installation, room, "flooded");
        var calls = await HipChat.WaitForDeliveryAsync(room, "echo flooded");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        calls.Select(c => c.Status).Should().Equal(429, 204);
        calls[1].ReceivedAt.Should().BeOnOrAfter(reset);
    }

    [Fact]
    public async Task A_success_leaving_no_flood_control_pauses_the_room_until_the_reset()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var reset = NextWholeSecond().AddSeconds(1);
        HipChat.InjectFault(Deliveries.NotificationPath(room), 204, headers: FloodControlExhaustedUntil(reset));

        await factory.SendAsync(installation, room, "last one this minute");
        await factory.SendAsync(installation, room, "after the reset");
        await HipChat.WaitForDeliveryAsync(room, "echo after the reset");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        var roomCalls = HipChat.Calls.Where(c => c.Path.EndsWith($"/room/{room}/notification", StringComparison.Ordinal)
            || c.Path.EndsWith($"/addon/ui/room/{room}", StringComparison.Ordinal)).ToList();
        roomCalls.Should().HaveCount(4).And.OnlyContain(c => c.Succeeded);
        roomCalls[0].ReceivedAt.Should().BeBefore(reset);
        roomCalls.Skip(1).Should().OnlyContain(c => c.ReceivedAt >= reset, "the room was paused until the flood-control reset");
    }

    [Fact]
    public async Task Responses_slower_than_the_request_timeout_are_retried_and_each_message_is_delivered_once_in_order()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var texts = Enumerable.Range(1, 3).Select(i => $"slow {i}").ToList();
        HipChat.InjectFault(Deliveries.NotificationPath(room), 503, delay: TimeSpan.FromSeconds(4));

        foreach (var text in texts)
        {
            await factory.SendAsync(installation, room, text);
        }

        await HipChat.WaitForDeliveryAsync(room, "echo slow 3");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        var calls = HipChat.Notifications.Where(c => c.Path == $"/v2/room/{room}/notification").ToList();
        calls[0].Succeeded.Should().BeFalse("the add-on gave up on the hanging call after HipChat:RequestTimeout");
        calls.Where(c => c.Succeeded).Select(Deliveries.MessageOf).Should().Equal(texts.Select(t => "echo " + t));
    }

    [Fact]
    public async Task A_message_hipchat_keeps_failing_is_dead_lettered_after_the_configured_attempts_and_listed()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        HipChat.InjectFault(Deliveries.NotificationPath(room), 502, times: OutboxApiFactory.MaxAttempts);

        await factory.SendAsync(installation, room, "doomed");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        HipChat.Notifications.Count(c => Deliveries.MessageOf(c) == "echo doomed").Should().Be(OutboxApiFactory.MaxAttempts);
        var deadLetter = (await DeadLettersAsync(installation.OAuthId)).Should().ContainSingle().Subject;
        deadLetter.Kind.Should().Be("room-notification");
        deadLetter.RoomId.Should().Be(room);
        deadLetter.Attempts.Should().Be(OutboxApiFactory.MaxAttempts);
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

    /// <summary>HipChat's resets are whole Unix seconds.</summary>
    private static DateTimeOffset NextWholeSecond() =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);

    private static Dictionary<string, string> FloodControlExhaustedUntil(DateTimeOffset reset) => new()
    {
        ["X-FloodControl-Limit"] = "30",
        ["X-FloodControl-Remaining"] = "0",
        ["X-FloodControl-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    };
}
