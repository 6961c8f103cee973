using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using CleanAddon.IntegrationTests.TestAddon;

namespace CleanAddon.IntegrationTests.Installations;

/// <summary>Install → echo → glance → uninstall, end to end, on each database provider.</summary>
public abstract class AddonLifecycleTests(AddonApiFactory factory)
{
    private static readonly TimeSpan Delivery = Deliveries.Timeout;
    private readonly HttpClient _client = factory.CreateAddonClient();
    private HipChatServer HipChat => factory.HipChat;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_room_installation_echoes_a_message_with_a_bearer_token_and_pushes_the_glance_count()
    {
        var installation = HipChat.CreateInstallation(roomId: 100);
        (await _client.InstallAsync(installation)).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await _client.SendRoomMessageAsync(installation, 100, "hello");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var notifications = await factory.SettleRoomAsync(installation, 100);
        var echo = notifications.Should().ContainSingle(c => Deliveries.MessageOf(c) == "echo hello").Subject;
        JsonNode.Parse(echo.Body)!["message_format"]!.GetValue<string>().Should().Be("text");
        echo.Authorization.Should().StartWith("Bearer ");
        HipChat.TokenRequestsFor(installation.OAuthId).Should().Be(1, "the install's proof token is reused for sending");
        (await HipChat.GlanceCountsUntilAsync(100, 2)).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(
            "the message and the marker were counted");
        JsonNode.Parse(HipChat.GlanceUpdates.First(c => c.Path.EndsWith("/addon/ui/room/100", StringComparison.Ordinal)).Body)!
            ["glance"]![0]!["key"]!.GetValue<string>().Should().Be(TestAddonModule.GlanceKey);
    }

    [Fact]
    public async Task The_glance_query_answers_the_rooms_echo_count_with_cors()
    {
        var installation = HipChat.CreateInstallation(roomId: 7);
        await _client.InstallAsync(installation);
        await _client.SendRoomMessageAsync(installation, 7, "one");
        await _client.SendRoomMessageAsync(installation, 7, "two");
        await HipChat.WaitForAsync("/room/7/notification", calls => calls.Count >= 2, Delivery);

        using var request = new HttpRequestMessage(
            HttpMethod.Get, $"{AddonClient.Glance}?signed_request={HipChatServer.SignJwt(installation, 7)}");
        request.Headers.Add("Origin", "https://www.hipchat.com");
        var response = await _client.SendAsync(request, Cancellation);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("*");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Cancellation);
        body!["label"]!["value"]!.GetValue<string>().Should().Be("<b>2</b> echoes");
        body["label"]!["type"]!.GetValue<string>().Should().Be("html");
    }

    [Fact]
    public async Task A_global_installation_echoes_in_any_room_of_its_group()
    {
        var installation = HipChat.CreateInstallation(roomId: null);
        (await _client.InstallAsync(installation)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await _client.SendRoomMessageAsync(installation, 501, "first room")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _client.SendRoomMessageAsync(installation, 502, "second room")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await factory.SettleRoomAsync(installation, 501)).Select(Deliveries.MessageOf)
            .Should().ContainSingle(message => message == "echo first room").And.NotContain("echo second room");
        (await factory.SettleRoomAsync(installation, 502)).Select(Deliveries.MessageOf)
            .Should().ContainSingle(message => message == "echo second room").And.NotContain("echo first room");
    }

    [Fact]
    public async Task Uninstalling_forgets_the_installation_redirects_to_HipChat_and_refuses_its_webhooks()
    {
        var installation = HipChat.CreateInstallation(roomId: 300);
        await _client.InstallAsync(installation);

        var response = await _client.UninstallAsync(HipChat, installation.OAuthId);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location.Should().Be(new Uri(HipChat.BaseUrl, "admin/addons"));
        (await factory.WithStoreAsync(store => store.FindInstallationAsync(installation.OAuthId, Cancellation)))
            .Should().BeNull();
        (await factory.WithStoreAsync(store => store.FindAccessTokenAsync(installation.OAuthId, "", Cancellation)))
            .Should().BeNull();
        (await _client.SendRoomMessageAsync(installation, 300, "anyone there?")).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Uninstalling_twice_redirects_both_times()
    {
        var installation = HipChat.CreateInstallation(roomId: 301);
        await _client.InstallAsync(installation);
        await _client.UninstallAsync(HipChat, installation.OAuthId);
        HipChat.RemoveInstallation(installation.OAuthId);

        var again = await _client.UninstallAsync(HipChat, installation.OAuthId);

        again.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }
}

public sealed class PostgresAddonLifecycleTests(AddonApiFactory<Postgres> factory)
    : AddonLifecycleTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteAddonLifecycleTests(AddonApiFactory<Sqlite> factory)
    : AddonLifecycleTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
