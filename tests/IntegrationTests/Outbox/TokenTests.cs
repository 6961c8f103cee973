using System.Net;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.DeadLetters;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Delivery;
using CleanAddon.IntegrationTests.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>Access tokens while sending: fetched once, replaced once when refused, and credentials HipChat dropped.</summary>
public abstract class TokenTests(AddonApiFactory factory)
{
    private HipChatServer HipChat => factory.HipChat;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_revoked_before_it_expires_is_replaced_by_one_new_token_and_the_message_delivered_once()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var tokensBefore = HipChat.TokenRequestsFor(installation.OAuthId);
        HipChat.RevokeAccessTokens();

        await factory.SendAsync(installation, room, "after revocation");
        await HipChat.WaitForDeliveryAsync(room, "echo after revocation");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        var calls = HipChat.NotificationsSaying(room, "echo after revocation");
        calls.Select(c => c.Status).Should().Equal(401, 204);
        calls[1].Authorization.Should().NotBe(calls[0].Authorization);
        HipChat.TokenRequestsFor(installation.OAuthId).Should().Be(tokensBefore + 1);
    }

    [Fact]
    public async Task A_second_401_with_a_fresh_token_is_dead_lettered_without_a_third_try()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var tokensBefore = HipChat.TokenRequestsFor(installation.OAuthId);
        HipChat.InjectFault(Deliveries.NotificationPath(room), 401, times: 2);

        await factory.SendAsync(installation, room, "unauthorised");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        HipChat.Notifications.Count(c => Deliveries.MessageOf(c) == "echo unauthorised").Should().Be(2);
        HipChat.TokenRequestsFor(installation.OAuthId).Should().Be(tokensBefore + 1);
        (await factory.DeadLetteredAsync(installation.OAuthId)).Should().Be(1);
    }

    [Fact]
    public async Task Token_endpoint_failures_and_timeouts_are_retried_through_the_outbox_until_a_token_comes()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var tokenCallsBefore = HipChat.TokenCallsFor(installation).Count;
        HipChat.RevokeAccessTokens();
        HipChat.InjectFault("/oauth/token", 503, times: 2);
        HipChat.InjectDelay("/oauth/token", TimeSpan.FromSeconds(6));

        await factory.SendAsync(installation, room, "token trouble");
        await HipChat.WaitForDeliveryAsync(room, "echo token trouble");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        HipChat.NotificationsSaying(room, "echo token trouble").Select(c => c.Status).Should().Equal(401, 204);
        HipChat.TokenCallsFor(installation).Skip(tokenCallsBefore).Select(c => c.Status).Should().Equal(
            [503, 503, 499, 200], "two 503s, one answer too slow that the add-on gave up on, then the token");
    }

    [Fact]
    public async Task A_hundred_concurrent_deliveries_after_a_revocation_fetch_exactly_one_new_token()
    {
        var installation = await factory.InstallAsync(room: null);
        var rooms = Enumerable.Range(1, 100).Select(_ => Deliveries.NewRoom()).ToList();
        var tokensBefore = HipChat.TokenRequestsFor(installation.OAuthId);
        HipChat.RevokeAccessTokens();

        await Task.WhenAll(rooms.Select(room => factory.SendAsync(installation, room, $"herd {room}")));
        await HipChat.WaitForAsync(
            "/notification",
            calls => calls.Count(c => c.Succeeded && Deliveries.MessageOf(c).StartsWith("echo herd ", StringComparison.Ordinal)) >= 100,
            Deliveries.Timeout);
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        HipChat.DeliveredNotifications.Count(c => Deliveries.MessageOf(c).StartsWith("echo herd ", StringComparison.Ordinal))
            .Should().Be(100);
        HipChat.TokenRequestsFor(installation.OAuthId).Should().Be(tokensBefore + 1);
    }

    [Fact]
    public async Task A_hundred_concurrent_token_requests_to_a_cold_provider_reach_hipchat_once()
    {
        var installation = await factory.InstallAsync(Deliveries.NewRoom());
        await factory.WithDbAsync(db => db.AccessTokens.Where(t => t.OAuthId == installation.OAuthId).ExecuteDeleteAsync(Cancellation));
        var stored = await factory.WithStoreAsync(store => store.FindInstallationAsync(installation.OAuthId, Cancellation));
        var tokensBefore = HipChat.TokenRequestsFor(installation.OAuthId);
        var provider = new AccessTokenProvider(
            factory.Services.GetRequiredService<IServiceScopeFactory>(),
            factory.Services.GetRequiredService<IHipChatGateway>(),
            TimeProvider.System,
            NullLogger<AccessTokenProvider>.Instance);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(
            () => provider.GetAsync(InstallationSnapshot.Of(stored!), AccessTokenProvider.DescriptorScopes, rejected: null, Cancellation),
            Cancellation)));

        tokens.Distinct().Should().ContainSingle();
        HipChat.TokenRequestsFor(installation.OAuthId).Should().Be(tokensBefore + 1);
    }

    [Fact]
    public async Task An_installation_removed_at_hipchat_is_revoked_its_messages_dead_lettered_and_warned_about_once()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var tokenCallsBefore = HipChat.TokenCallsFor(installation).Count;
        HipChat.RemoveInstallation(installation.OAuthId);

        foreach (var text in new[] { "gone 1", "gone 2", "gone 3" })
        {
            await factory.SendAsync(installation, room, text);
        }

        await WaitForRevocationAsync(installation.OAuthId);
        await factory.WaitUntilSettledAsync(installation.OAuthId);
        using var client = factory.CreateAddonClient();
        var afterRevocation = await client.SendRoomMessageAsync(installation, room, "after revocation");

        afterRevocation.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "HipChat no longer signs with a revoked secret");
        HipChat.TokenCallsFor(installation).Should().HaveCount(tokenCallsBefore + 1, "the refusal is remembered, not asked again");
        HipChat.DeliveredNotifications.Should().NotContain(c => c.Path == $"/v2/room/{room}/notification");
        var deadLetters = await DeadLettersAsync(installation.OAuthId);
        deadLetters.Should().OnlyContain(d => d.LastError!.Contains("revoked", StringComparison.Ordinal));
        deadLetters.Count(d => d.Queue == DeadLetterKind.Webhook || d.What == "RoomNotification")
            .Should().Be(3, "each of the three webhooks ends as its queued handler run or as its echo");
        var echoes = deadLetters.Count(d => d.What == "RoomNotification");
        deadLetters.Count(d => d.What == "GlanceUpdate").Should().BeInRange(
            Math.Min(echoes, 1), echoes, "a unit of work queues one glance update per room, after its echoes");
        factory.Logs.Entries.Count(e => e.StartsWith("Warning", StringComparison.Ordinal)
            && e.Contains($"refused the credentials of installation {installation.OAuthId}", StringComparison.Ordinal))
            .Should().Be(1);
    }

    /// <summary>Until HipChat's refusal of the installation's credentials has revoked it.</summary>
    private Task WaitForRevocationAsync(string oAuthId) => Polling.UntilAsync(() => IsRevokedAsync(oAuthId), true);

    private Task<bool> IsRevokedAsync(string oAuthId) =>
        factory.WithStoreAsync(async store => (await store.FindInstallationAsync(oAuthId, Cancellation))!.IsRevoked);

    private async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string oAuthId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>()
            .Send(new GetDeadLettersQuery(oAuthId), Cancellation);
    }
}

public sealed class PostgresTokenTests(OutboxApiFactory<Postgres> factory)
    : TokenTests(factory), IClassFixture<OutboxApiFactory<Postgres>>;

public sealed class SqliteTokenTests(OutboxApiFactory<Sqlite> factory)
    : TokenTests(factory), IClassFixture<OutboxApiFactory<Sqlite>>;
