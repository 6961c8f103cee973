using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.IntegrationTests.Webhooks;

public abstract class RoomMessageWebhookTests(AddonApiFactory factory) : IAsyncLifetime
{
    private const long Room = 900;
    private static readonly TimeSpan Delivery = Deliveries.Timeout;
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
    public async Task A_webhook_delivered_twice_is_acknowledged_twice_and_echoed_once()
    {
        var payload = HipChatWebhooks.RoomMessage(_installation, Room, "only once", messageId: Guid.NewGuid().ToString());
        var jwt = HipChatServer.SignJwt(_installation, Room);

        var first = await _client.SendWebhookAsync(payload, jwt);
        var second = await _client.SendWebhookAsync(payload, jwt);

        first.StatusCode.Should().Be(HttpStatusCode.NoContent);
        second.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await ShouldEchoExactlyAsync("echo only once", 1);
    }

    [Fact]
    public async Task A_webhook_for_another_room_than_the_installations_is_forbidden()
    {
        var payload = HipChatWebhooks.RoomMessage(_installation, Room + 1, "wrong room");

        var response = await _client.SendWebhookAsync(payload, HipChatServer.SignJwt(_installation, Room));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_webhook_naming_another_oauth_client_than_its_jwt_is_forbidden()
    {
        var payload = HipChatWebhooks.RoomMessage(_installation, Room, "other client");
        payload["oauth_client_id"] = Guid.NewGuid().ToString();

        var response = await _client.SendWebhookAsync(payload, HipChatServer.SignJwt(_installation, Room));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_webhook_whose_sender_is_not_the_jwt_user_is_forbidden()
    {
        var payload = HipChatWebhooks.RoomMessage(_installation, Room, "impostor", senderId: "31337");

        var response = await _client.SendWebhookAsync(payload, HipChatServer.SignJwt(_installation, Room, userId: "4979430"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_webhook_that_leaves_the_sender_out_is_a_validation_problem_and_is_not_handled()
    {
        var payload = HipChatWebhooks.RoomMessage(_installation, Room, "no sender");
        payload["item"]!["message"]!.AsObject().Remove("from");

        var response = await _client.SendWebhookAsync(payload, HipChatServer.SignJwt(_installation, Room));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem["errors"]!.AsObject().Should().ContainKey("Webhook.Sender");
        await ShouldEchoExactlyAsync("echo no sender", 0);
    }

    [Fact]
    public async Task A_sender_named_only_by_name_is_not_taken_for_the_jwt_user()
    {
        var payload = HipChatWebhooks.RoomMessage(_installation, Room, "by name");
        payload["item"]!["message"]!["from"] = "Mark Hopkins";

        var response = await _client.SendWebhookAsync(payload, HipChatServer.SignJwt(_installation, Room, userId: "4979430"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await ShouldEchoExactlyAsync("echo by name", 0);
    }

    [Fact]
    public async Task A_webhook_with_keys_that_differ_only_in_case_is_refused_and_handled_in_no_room()
    {
        var global = factory.HipChat.CreateInstallation(roomId: null);
        (await _client.InstallAsync(global)).EnsureSuccessStatusCode();
        var checkedRoom = HipChatWebhooks.RoomMessage(global, Room + 10, "case games")["item"]!.ToJsonString();
        var handledRoom = HipChatWebhooks.RoomMessage(global, Room + 11, "case games")["item"]!.ToJsonString();
        var body = $$"""{"event": "room_message", "webhook_id": 1, "item": {{handledRoom}}, "Item": {{checkedRoom}}}""";

        var response = await SendRawAsync(body, HipChatServer.SignJwt(global, Room + 10));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
        problem["detail"]!.GetValue<string>().Should().Contain("repeats a key");
        (await factory.WithDbAsync(db => db.Outbox.CountAsync(m => m.OAuthId == global.OAuthId, Cancellation)))
            .Should().Be(0, "nothing of a refused webhook is queued");
    }

    [Fact]
    public async Task A_webhook_repeating_a_key_is_refused()
    {
        var message = HipChatWebhooks.RoomMessage(_installation, Room, "twice")["item"]!.ToJsonString();
        var body = $$"""{"event": "room_message", "webhook_id": 1, "item": {{message}}, "item": {{message}}}""";

        var response = await SendRawAsync(body, HipChatServer.SignJwt(_installation, Room));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
        await ShouldEchoExactlyAsync("echo twice", 0);
    }

    [Fact]
    public async Task A_jwt_whose_room_is_not_the_room_installation_is_refused()
    {
        var response = await _client.SendRoomMessageAsync(
            _installation, Room, "room hop", HipChatServer.SignJwt(_installation, roomId: Room + 5));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Another_event_posted_to_the_room_message_webhook_is_a_validation_problem()
    {
        var payload = HipChatWebhooks.RoomMessage(_installation, Room, "not a message");
        payload["event"] = "room_enter";

        var response = await _client.SendWebhookAsync(payload, HipChatServer.SignJwt(_installation, Room));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Malformed_json_with_a_valid_jwt_is_a_malformed_request_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, AddonClient.RoomMessageWebhook)
        {
            Content = new StringContent("{\"event\": \"room_message\", ", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", HipChatServer.SignJwt(_installation, Room));

        var response = await _client.SendAsync(request, Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task A_webhook_body_over_256_KiB_is_a_payload_too_large_problem()
    {
        var payload = HipChatWebhooks.RoomMessage(_installation, Room, new string('x', 257 * 1024));

        var response = await _client.SendWebhookAsync(payload, HipChatServer.SignJwt(_installation, Room));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task A_message_longer_than_hipchat_accepts_is_echoed_cut_to_the_limit()
    {
        var text = "long " + new string('y', 10_000);

        (await _client.SendRoomMessageAsync(_installation, Room, text)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var calls = await factory.HipChat.WaitForAsync(
            $"/room/{Room}/notification", calls => calls.Any(c => c.Body.Contains("echo long", StringComparison.Ordinal)), Delivery);
        var message = JsonNode.Parse(calls.Single(c => c.Body.Contains("echo long", StringComparison.Ordinal)).Body)!["message"]!
            .GetValue<string>();
        message.Should().HaveLength(10_000).And.EndWith("…");
    }

    [Fact]
    public async Task Messages_of_one_room_are_echoed_in_the_order_they_arrived()
    {
        var texts = Enumerable.Range(1, 10).Select(i => $"ordered {i}").ToList();

        foreach (var text in texts)
        {
            (await _client.SendRoomMessageAsync(_installation, Room, text)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        var calls = await factory.HipChat.WaitForAsync(
            $"/room/{Room}/notification", calls => calls.Count(c => c.Body.Contains("ordered", StringComparison.Ordinal)) >= 10, Delivery);
        calls.Where(c => c.Body.Contains("ordered", StringComparison.Ordinal))
            .Select(c => JsonNode.Parse(c.Body)!["message"]!.GetValue<string>())
            .Should().Equal(texts.Select(t => "echo " + t));
    }

    private Task<HttpResponseMessage> SendRawAsync(string body, string jwt)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, AddonClient.RoomMessageWebhook)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", jwt);
        return _client.SendAsync(request, Cancellation);
    }

    private async Task ShouldEchoExactlyAsync(string message, int times) =>
        (await factory.SettleRoomAsync(_installation, Room)).Count(c => Deliveries.MessageOf(c) == message).Should().Be(times);
}

public sealed class PostgresRoomMessageWebhookTests(AddonApiFactory<Postgres> factory)
    : RoomMessageWebhookTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteRoomMessageWebhookTests(AddonApiFactory<Sqlite> factory)
    : RoomMessageWebhookTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
