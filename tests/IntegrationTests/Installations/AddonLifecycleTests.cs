using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Installations;

/// <summary>Install → echo → glance → uninstall, end to end, on each database provider.</summary>
public abstract class AddonLifecycleTests(AddonApiFactory factory)
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(15);
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
        var notifications = await HipChat.WaitForAsync("/room/100/notification", calls => calls.Count >= 1, Delivery);
        notifications.Should().ContainSingle();
        var body = JsonNode.Parse(notifications[0].Body)!;
        body["message"]!.GetValue<string>().Should().Be("echo hello");
        body["message_format"]!.GetValue<string>().Should().Be("text");
        notifications[0].Authorization.Should().StartWith("Bearer ");
        HipChat.TokenRequestsFor(installation.OAuthId).Should().Be(1, "the install's proof token is reused for sending");
        var glances = await HipChat.WaitForAsync("/addon/ui/room/100", calls => calls.Count >= 1, Delivery);
        var glance = JsonNode.Parse(glances.Should().ContainSingle().Subject.Body)!["glance"]![0]!;
        glance["key"]!.GetValue<string>().Should().Be("sample-glance");
        glance["content"]!["label"]!["value"]!.GetValue<string>().Should().Be("<b>1</b> echo");
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

        (await HipChat.WaitForAsync("/room/501/notification", calls => calls.Count >= 1, Delivery))
            .Should().ContainSingle().Which.Body.Should().Contain("echo first room");
        (await HipChat.WaitForAsync("/room/502/notification", calls => calls.Count >= 1, Delivery))
            .Should().ContainSingle().Which.Body.Should().Contain("echo second room");
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

public sealed class PostgresAddonLifecycleTests(AddonApiFactory factory)
    : AddonLifecycleTests(factory), IClassFixture<AddonApiFactory>;

public sealed class SqliteAddonLifecycleTests(SqliteAddonApiFactory factory)
    : AddonLifecycleTests(factory), IClassFixture<SqliteAddonApiFactory>;
