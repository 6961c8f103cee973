using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Webhooks;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Extensibility;

/// <summary>Capabilities registered through the public API only, driven end to end through HTTP.</summary>
public abstract class ExtensionModelTests(AddonApiFactory factory) : IAsyncLifetime
{
    private const long Room = 640;
    private readonly HttpClient _client = factory.CreateAddonClient();
    private EmulatedInstallation _installation = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _installation = factory.HipChat.CreateInstallation(roomId: Room);
        (await _client.InstallAsync(_installation)).EnsureSuccessStatusCode();
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_handler_registered_through_the_public_api_is_announced_routed_and_run()
    {
        var descriptor = JsonNode.Parse(await _client.GetStringAsync("/capabilities.json", Cancellation))!;
        var declared = descriptor["capabilities"]!["webhook"]!.AsArray().Single(w => w!["key"]!.GetValue<string>() == "topic-watch")!;
        declared["event"]!.GetValue<string>().Should().Be("room_topic_change");
        declared["authentication"]!.GetValue<string>().Should().Be("jwt");
        var path = new Uri(declared["url"]!.GetValue<string>()).AbsolutePath;

        var response = await _client.SendWebhookAsync(TopicChange("Release on Friday"), HipChatServer.SignJwt(_installation, Room), path);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await factory.SettleRoomAsync(_installation, Room)).Should().ContainSingle(c => Says("Topic is now: Release on Friday")(c));
    }

    [Fact]
    public async Task A_handler_that_fails_is_retried_from_the_queue_and_its_work_happens_once()
    {
        var response = await _client.SendWebhookAsync(
            TopicChange("fail once"), HipChatServer.SignJwt(_installation, Room), "/webhooks/topic-watch");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await factory.SettleRoomAsync(_installation, Room)).Count(Says("Topic is now: fail once")).Should().Be(1);
        factory.Services.GetRequiredService<TestCapabilityLog>().Attempts["fail once"].Should().Be(2);
    }

    [Fact]
    public async Task An_immediate_handler_answers_with_the_notification_as_the_webhook_response()
    {
        var response = await _client.SendWebhookAsync(
            HipChatWebhooks.RoomMessage(_installation, Room, "/ping"), HipChatServer.SignJwt(_installation, Room), "/webhooks/instant");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await response.ReadJsonAsync())!;
        body["message"]!.GetValue<string>().Should().Be("pong");
        body["message_format"]!.GetValue<string>().Should().Be("text");
        body["color"]!.GetValue<string>().Should().Be("purple");
    }

    [Fact]
    public async Task A_message_the_declared_pattern_does_not_match_is_acknowledged_but_not_handled()
    {
        var response = await _client.SendWebhookAsync(
            HipChatWebhooks.RoomMessage(_installation, Room, "no ping here"), HipChatServer.SignJwt(_installation, Room), "/webhooks/instant");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await response.Content.ReadAsStringAsync(Cancellation)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_webhook_declared_with_a_delegate_runs_from_the_queue_and_answers_through_its_room_client()
    {
        var response = await _client.SendWebhookAsync(
            HipChatWebhooks.RoomMessage(_installation, Room, "/shout hello"), HipChatServer.SignJwt(_installation, Room),
            "/webhooks/shout");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await factory.SettleRoomAsync(_installation, Room)).Count(Says("/SHOUT HELLO")).Should().Be(1);
    }

    [Fact]
    public async Task A_glance_declared_with_a_delegate_answers_for_the_room_it_is_shown_in_with_its_text_encoded()
    {
        var response = await _client.GetAsync(
            $"/glances/room-glance?signed_request={HipChatServer.SignJwt(_installation, Room)}", Cancellation);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var label = (await response.ReadJsonAsync())!["label"]!;
        label["value"]!.GetValue<string>().Should().Be($"room-glance &lt;{Room}&gt;");
        label["type"]!.GetValue<string>().Should().Be("html");
    }

    [Theory]
    [InlineData("webhooks")]
    [InlineData("glances")]
    [InlineData("pages")]
    public async Task A_capability_key_nobody_declared_is_a_not_found_problem(string kind)
    {
        var jwt = HipChatServer.SignJwt(_installation, Room);
        var response = kind == "webhooks"
            ? await _client.SendWebhookAsync(TopicChange("lost"), jwt, "/webhooks/nobody-declared-this")
            : await _client.GetAsync($"/{kind}/nobody-declared-this?signed_request={jwt}", Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Lifecycle_handlers_hear_of_installs_and_uninstalls_after_they_commit_and_a_failing_one_changes_nothing()
    {
        var installation = factory.HipChat.CreateInstallation(roomId: Room + 1);
        var log = factory.Services.GetRequiredService<TestCapabilityLog>();

        var installed = await _client.InstallAsync(installation);
        var storedAfterInstall = await factory.WithStoreAsync(
            store => store.FindInstallationAsync(installation.OAuthId, Cancellation));
        var reinstalled = await _client.InstallAsync(installation);
        var uninstalled = await _client.UninstallAsync(factory.HipChat, installation.OAuthId);

        installed.StatusCode.Should().Be(HttpStatusCode.OK, "the failing handler does not fail the install");
        storedAfterInstall.Should().NotBeNull("the failing handler does not undo the install");
        storedAfterInstall!.RoomId.Should().Be(Room + 1);
        reinstalled.StatusCode.Should().Be(HttpStatusCode.OK);
        uninstalled.StatusCode.Should().Be(HttpStatusCode.Redirect);
        log.Lifecycle.Where(e => e.Contains(installation.OAuthId, StringComparison.Ordinal)).Should().Equal(
            $"installed {installation.OAuthId} reinstalled=False, committed: stored",
            $"installed {installation.OAuthId} reinstalled=True, committed: stored",
            $"uninstalled {installation.OAuthId}, committed: gone");
    }

    [Fact]
    public async Task Lifecycle_handlers_hear_of_a_revocation_after_it_commits_and_a_failing_one_changes_nothing()
    {
        var room = Room + 2;
        var installation = factory.HipChat.CreateInstallation(roomId: room);
        (await _client.InstallAsync(installation)).EnsureSuccessStatusCode();
        var log = factory.Services.GetRequiredService<TestCapabilityLog>();

        // HipChat forgets the installation: its token endpoint answers 401 invalid_client to the add-on's credentials.
        factory.HipChat.RemoveInstallation(installation.OAuthId);
        (await _client.SendRoomMessageAsync(installation, room, "anyone?")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await WaitUntilAsync(() => log.Lifecycle.Any(e => e.StartsWith($"revoked {installation.OAuthId}", StringComparison.Ordinal)));
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        log.Lifecycle.Where(e => e.Contains(installation.OAuthId, StringComparison.Ordinal)).Should().Equal(
            $"installed {installation.OAuthId} reinstalled=False, committed: stored",
            $"revoked {installation.OAuthId}, committed: revoked");
        (await factory.WithStoreAsync(store => store.FindInstallationAsync(installation.OAuthId, Cancellation)))!
            .IsRevoked.Should().BeTrue("the failing handler undid nothing");
        factory.Logs.Entries.Should().Contain(e => e.StartsWith("Error", StringComparison.Ordinal)
            && e.Contains($"FailingLifecycle failed on the access-revoked event of installation {installation.OAuthId}", StringComparison.Ordinal));
        factory.HipChat.DeliveredNotifications.Should().NotContain(c => c.Path == $"/v2/room/{room}/notification");
        (await factory.SettleRoomAsync(_installation, Room)).Should().NotBeEmpty("the worker goes on for other installations");
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + Deliveries.Timeout;
        while (!done() && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50, Cancellation);
        }

        done().Should().BeTrue("it should have happened within {0}", Deliveries.Timeout);
    }

    private static Func<RecordedCall, bool> Says(string message) =>
        call => JsonNode.Parse(call.Body)!["message"]!.GetValue<string>() == message;

    private JsonObject TopicChange(string topic) => new()
    {
        ["event"] = "room_topic_change",
        ["webhook_id"] = 4242,
        ["oauth_client_id"] = _installation.OAuthId,
        ["item"] = new JsonObject
        {
            ["room"] = new JsonObject { ["id"] = Room, ["name"] = "Ops" },
            ["sender"] = new JsonObject { ["id"] = 4979430, ["name"] = "Ann Lee", ["mention_name"] = "ann" },
            ["topic"] = topic,
        },
    };

    public sealed class ExtendedAddonFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services
                .AddSingleton<TestCapabilityLog>()
                .AddAddonModules(addon => addon
                    .Webhook<TopicWatchHandler>("topic-watch", name: "Topic watch")
                    .Webhook<PingHandler>("instant", pattern: "^/ping")
                .Webhook<RoomMessageEvent>("shout", "^/shout", (message, context) => context.Room.Notify(message.Text!.ToUpperInvariant()))
                .Glance("room-glance", "Room", (context, _) => ValueTask.FromResult(GlanceContent.Text($"{context.Key} <{context.RoomId}>")))
                    .OnLifecycle<FailingLifecycle>()
                    .OnLifecycle<RecordingLifecycle>()));
        }
    }
}

public sealed class PostgresExtensionModelTests(ExtensionModelTests.ExtendedAddonFactory<Postgres> factory)
    : ExtensionModelTests(factory), IClassFixture<ExtensionModelTests.ExtendedAddonFactory<Postgres>>;

public sealed class SqliteExtensionModelTests(ExtensionModelTests.ExtendedAddonFactory<Sqlite> factory)
    : ExtensionModelTests(factory), IClassFixture<ExtensionModelTests.ExtendedAddonFactory<Sqlite>>;
