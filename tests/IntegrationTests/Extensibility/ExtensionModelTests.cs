using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.Application.Extensibility;
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
    public async Task A_webhook_key_nobody_declared_is_a_not_found_problem()
    {
        var response = await _client.SendWebhookAsync(
            TopicChange("lost"), HipChatServer.SignJwt(_installation, Room), "/webhooks/nobody-declared-this");

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
                    .OnLifecycle<FailingLifecycle>()
                    .OnLifecycle<RecordingLifecycle>()));
        }
    }
}

public sealed class PostgresExtensionModelTests(ExtensionModelTests.ExtendedAddonFactory<Postgres> factory)
    : ExtensionModelTests(factory), IClassFixture<ExtensionModelTests.ExtendedAddonFactory<Postgres>>;

public sealed class SqliteExtensionModelTests(ExtensionModelTests.ExtendedAddonFactory<Sqlite> factory)
    : ExtensionModelTests(factory), IClassFixture<ExtensionModelTests.ExtendedAddonFactory<Sqlite>>;
