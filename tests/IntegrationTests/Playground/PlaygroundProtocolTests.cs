using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Playground;

/// <summary>The HipChat side the playground serves: capabilities, the token endpoint and the JWTs it signs.</summary>
public sealed class PlaygroundProtocolTests(PlaygroundFixture playground) : IClassFixture<PlaygroundFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;
    private readonly HttpClient _client = playground.CreateClient();

    [Fact]
    public async Task The_capabilities_document_names_itself_and_the_token_url_under_localhost()
    {
        var document = await _client.GetFromJsonAsync<JsonObject>("/v2/capabilities", Cancellation);

        playground.BaseUrl.Host.Should().Be("localhost");
        document!["links"]!["self"]!.GetValue<string>().Should().Be(new Uri(playground.BaseUrl, "v2/capabilities").AbsoluteUri);
        document["capabilities"]!["oauth2Provider"]!["tokenUrl"]!.GetValue<string>()
            .Should().Be(new Uri(playground.BaseUrl, "v2/oauth/token").AbsoluteUri);
    }

    [Fact]
    public async Task The_token_endpoint_refuses_a_wrong_secret_and_an_unknown_client()
    {
        var installation = playground.Playground.HipChat.CreateInstallation(roomId: 1);

        var wrongSecret = await RequestTokenAsync(installation.OAuthId, "not-the-secret");
        var unknownClient = await RequestTokenAsync("unknown", installation.OAuthSecret);
        var notBasic = await RequestTokenAsync(null, null);

        foreach (var response in new[] { wrongSecret, unknownClient, notBasic })
        {
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            (await response.Content.ReadFromJsonAsync<JsonObject>(Cancellation))!["error"]!.GetValue<string>()
                .Should().Be("invalid_client");
        }
    }

    [Fact]
    public async Task The_token_endpoint_issues_a_bearer_token_with_its_lifetime_that_the_api_accepts()
    {
        var installation = playground.Playground.HipChat.CreateInstallation(roomId: 1);

        var response = await RequestTokenAsync(installation.OAuthId, installation.OAuthSecret);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>(Cancellation))!;
        token["expires_in"]!.GetValue<long>().Should().Be(3600);
        token["token_type"]!.GetValue<string>().Should().Be("bearer");
        using var notification = new HttpRequestMessage(HttpMethod.Post, "/v2/room/1/notification")
        {
            Content = JsonContent.Create(new { message = "hi", message_format = "text" }),
        };
        notification.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token["access_token"]!.GetValue<string>());
        (await _client.SendAsync(notification, Cancellation)).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_view_token_verifies_with_the_installation_secret_and_names_installation_user_and_room()
    {
        var hipChat = playground.Playground.HipChat;
        var oauth = hipChat.CreateInstallation(roomId: null);
        playground.Playground.App.Services.GetRequiredService<HipChatPlayground.Playground>()
            .Add(oauth, new Uri("http://localhost/capabilities.json"), new JsonObject { ["name"] = "Protocol test" });

        var response = await _client.PostAsync(
            $"/playground/api/installations/{oauth.OAuthId}/token?roomId=2", null, Cancellation);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var jwt = (await response.Content.ReadFromJsonAsync<JsonObject>(Cancellation))!["token"]!.GetValue<string>();
        var parts = jwt.Split('.');
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(oauth.OAuthSecret), Encoding.UTF8.GetBytes($"{parts[0]}.{parts[1]}"));
        Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_').Should().Be(parts[2]);
        var payload = HipChatJwt.ReadPayload(jwt);
        payload["iss"]!.GetValue<string>().Should().Be(oauth.OAuthId);
        payload["sub"]!.GetValue<string>().Should().Be("4979430");
        payload["context"]!["room_id"]!.GetValue<long>().Should().Be(2);
        payload["exp"]!.GetValue<long>().Should().BeGreaterThan(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    private async Task<HttpResponseMessage> RequestTokenAsync(string? oAuthId, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/oauth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "send_notification")]),
        };
        if (oAuthId is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{oAuthId}:{secret}")));
        }

        return await _client.SendAsync(request, Cancellation);
    }
}
