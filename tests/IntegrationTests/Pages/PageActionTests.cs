using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using CleanAddon.IntegrationTests.TestAddon;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.IntegrationTests.Pages;

/// <summary>
/// A page action as the framework runs it, declared by the test add-on (<see cref="TallyAction"/>, <c>POST /tally</c>):
/// the JWT from the Authorization header only, the installation and room checked, bodies bounded and read as JSON or
/// form fields, validated, and the action's state change and call committed together or not at all.
/// </summary>
public abstract class PageActionTests(AddonApiFactory factory)
{
    private const string Tally = "/" + TestAddonModule.TallyPath;

    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("missing")]
    [InlineData("wrong-secret")]
    [InlineData("tampered")]
    [InlineData("in-signed-request")]
    public async Task A_call_without_a_valid_jwt_in_the_authorization_header_is_unauthorized_and_runs_nothing(string jwt)
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var valid = HipChatServer.SignJwt(installation, room);
        var token = jwt switch
        {
            "missing" or "in-signed-request" => null,
            "wrong-secret" => HipChatServer.SignJwt(installation with { OAuthSecret = "not-the-secret" }, room),
            _ => HipChatJwt.ReplacePayload(valid, Tampered(HipChatJwt.ReadPayload(valid))),
        };
        var path = jwt == "in-signed-request" ? $"{Tally}?signed_request={valid}" : Tally;

        var response = await PostAsync(token, JsonContent.Create(new { add = 2, note = "forged" }), path);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await ShouldHaveRunNothingAsync(installation, room);
    }

    /// <summary>
    /// The JWT of a room installation speaks for its room only: one naming another room is refused when it is
    /// authenticated, with the one 401 every bad JWT gets, before the installation check could answer 403.
    /// </summary>
    [Fact]
    public async Task A_jwt_naming_a_room_outside_its_installation_is_refused_and_runs_nothing()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var elsewhere = Deliveries.NewRoom();

        var response = await PostAsync(
            HipChatServer.SignJwt(installation, elsewhere), JsonContent.Create(new { add = 2, note = "elsewhere" }));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await ShouldHaveRunNothingAsync(installation, room);
        (await TallyOfAsync(installation, elsewhere)).Should().BeNull();
    }

    [Fact]
    public async Task A_body_over_16_KiB_is_a_payload_too_large_problem()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await PostAsync(
            HipChatServer.SignJwt(installation, room), JsonContent.Create(new { add = 1, note = new string('x', 17 * 1024) }));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task A_body_neither_json_nor_form_fields_is_an_unsupported_media_type_problem(string mediaType)
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await PostAsync(
            HipChatServer.SignJwt(installation, room), new StringContent("add=1", System.Text.Encoding.UTF8, mediaType));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task A_body_that_does_not_fit_the_form_is_a_malformed_request_problem()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await PostAsync(HipChatServer.SignJwt(installation, room), JsonContent.Create(new { add = "many" }));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task A_form_its_validators_refuse_is_a_validation_problem_keyed_by_the_fields_sent_and_runs_nothing()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await PostAsync(
            HipChatServer.SignJwt(installation, room), JsonContent.Create(new { add = 11, note = new string('x', 51) }));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("add", "note");
        await ShouldHaveRunNothingAsync(installation, room);
    }

    [Fact]
    public async Task Form_fields_are_read_as_the_form_a_number_and_a_checked_checkbox_included()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await PostAsync(
            HipChatServer.SignJwt(installation, room),
            new FormUrlEncodedContent([new("add", "2"), new("note", "from a form"), new("loud", "on")]));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var said = (await factory.HipChat.WaitForDeliveryAsync(room, "tally 2: from a form")).Should().ContainSingle().Subject;
        JsonNode.Parse(said.Body)!["notify"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task The_actions_state_change_and_its_call_to_hipchat_commit_together()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await PostAsync(
            HipChatServer.SignJwt(installation, room), JsonContent.Create(new { add = 3, note = "three" }));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await TallyOfAsync(installation, room)).Should().Be(3);
        (await factory.HipChat.WaitForDeliveryAsync(room, "tally 3: three")).Should().ContainSingle();
    }

    [Fact]
    public async Task An_action_that_throws_commits_neither_its_state_change_nor_its_call()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await PostAsync(
            HipChatServer.SignJwt(installation, room),
            JsonContent.Create(new { add = 3, note = TestAddonModule.FailingPrefix + " after both" }));

        await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "internal");
        await ShouldHaveRunNothingAsync(installation, room);
    }

    [Fact]
    public async Task An_action_that_needs_a_room_answers_a_validation_problem_to_a_jwt_without_one()
    {
        var installation = await factory.InstallAsync(room: null);

        var response = await PostAsync(HipChatServer.SignJwt(installation), JsonContent.Create(new { add = 1 }));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("room");
    }

    /// <summary>
    /// After the marker barrier, the room heard nothing but the marker's echo, and the tally counts that echo only.
    /// </summary>
    private async Task ShouldHaveRunNothingAsync(EmulatedInstallation installation, long room)
    {
        (await factory.SettleRoomAsync(installation, room)).Select(Deliveries.MessageOf)
            .Should().ContainSingle().Which.Should().StartWith("echo marker");
        (await TallyOfAsync(installation, room)).Should().Be(1, "only the marker's echo was counted");
    }

    private Task<long?> TallyOfAsync(EmulatedInstallation installation, long room) =>
        factory.WithDbAsync(db => db.Set<RoomTally>()
            .Where(t => t.OAuthId == installation.OAuthId && t.RoomId == room)
            .Select(t => (long?)t.Echoes)
            .SingleOrDefaultAsync(Cancellation));

    private static JsonObject Tampered(JsonObject payload)
    {
        payload["sub"] = "1";
        return payload;
    }

    private Task<HttpResponseMessage> PostAsync(string? jwt, HttpContent body, string path = Tally)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        if (jwt is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("JWT", jwt);
        }

        return _client.SendAsync(request, Cancellation);
    }
}

public sealed class PostgresPageActionTests(AddonApiFactory<Postgres> factory)
    : PageActionTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqlitePageActionTests(AddonApiFactory<Sqlite> factory)
    : PageActionTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
