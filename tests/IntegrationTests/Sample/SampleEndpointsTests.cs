using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Sample;

/// <summary>
/// The calls the sample views make back to the add-on (<c>POST /post-card</c>, <c>PUT /settings</c>): a valid JWT in
/// the Authorization header or nothing happens, bodies within 16 KiB, the card as a form field or JSON.
/// </summary>
public abstract class SampleEndpointsTests(AddonApiFactory factory)
{
    private const string PostCard = "/post-card";
    private const string Settings = "/settings";

    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("POST", PostCard, "missing")]
    [InlineData("POST", PostCard, "wrong-secret")]
    [InlineData("POST", PostCard, "tampered")]
    [InlineData("PUT", Settings, "missing")]
    [InlineData("PUT", Settings, "wrong-secret")]
    [InlineData("PUT", Settings, "tampered")]
    public async Task A_call_without_a_valid_jwt_is_an_unauthorized_problem_and_changes_nothing(
        string method, string path, string jwt)
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var valid = HipChatServer.SignJwt(installation, room);
        var token = jwt switch
        {
            "missing" => null,
            "wrong-secret" => HipChatServer.SignJwt(installation with { OAuthSecret = "not-the-secret" }, room),
            _ => HipChatJwt.ReplacePayload(valid, Tampered(HipChatJwt.ReadPayload(valid))),
        };

        var response = await SendAsync(method, path, token, Body(path, "forged"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await factory.SettleRoomAsync(installation, room)).Select(Deliveries.MessageOf)
            .Should().ContainSingle().Which.Should().StartWith("echo marker", "no card was posted and the echo kept its settings");
    }

    [Theory]
    [InlineData("POST", PostCard)]
    [InlineData("PUT", Settings)]
    public async Task A_body_over_16_KiB_is_a_payload_too_large_problem(string method, string path)
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await SendAsync(
            method, path, HipChatServer.SignJwt(installation, room), Body(path, new string('x', 17 * 1024)));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task A_card_posted_as_json_reaches_the_room()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await SendAsync(
            "POST", PostCard, HipChatServer.SignJwt(installation, room), Body(PostCard, "Posted as JSON"));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var card = (await factory.SettleRoomAsync(installation, room))
            .Should().ContainSingle(c => c.Body.Contains("\"card\"", StringComparison.Ordinal)).Subject;
        JsonNode.Parse(card.Body)!["card"]!["description"]!["value"]!.GetValue<string>().Should().Be("Posted as JSON");
    }

    private static JsonObject Tampered(JsonObject payload)
    {
        payload["sub"] = "1";
        return payload;
    }

    private static JsonContent Body(string path, string text) => path == PostCard
        ? JsonContent.Create(new { cardDescription = text })
        : JsonContent.Create(new { echoPrefix = text, color = "red", glanceEnabled = false });

    private Task<HttpResponseMessage> SendAsync(string method, string path, string? jwt, HttpContent body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };
        if (jwt is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("JWT", jwt);
        }

        return _client.SendAsync(request, Cancellation);
    }
}

public sealed class PostgresSampleEndpointsTests(AddonApiFactory<Postgres> factory)
    : SampleEndpointsTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteSampleEndpointsTests(AddonApiFactory<Sqlite> factory)
    : SampleEndpointsTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
