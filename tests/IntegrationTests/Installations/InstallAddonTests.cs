using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CleanAddon.Domain.Installations;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.IntegrationTests.Installations;

/// <summary>The unauthenticated install callback: every refusal is a problem, stores nothing, and calls nothing it should not.</summary>
public abstract class InstallAddonTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();
    private HipChatServer HipChat => factory.HipChat;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Malformed_json_is_a_malformed_request_problem()
    {
        using var content = new StringContent("{\"oauthId\": ", Encoding.UTF8, "application/json");

        var response = await _client.PostAsync(AddonClient.Installed, content, Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Theory]
    [InlineData("oauthId", "OAuthId")]
    [InlineData("oauthSecret", "OAuthSecret")]
    [InlineData("capabilitiesUrl", "CapabilitiesUrl")]
    public async Task A_missing_field_is_a_validation_problem_naming_it(string field, string property)
    {
        var installation = HipChat.CreateInstallation(roomId: 1);
        var body = installation.ToCallbackBody();
        body.Remove(field);

        var response = await _client.PostAsJsonAsync(AddonClient.Installed, body, Cancellation);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem["errors"]!.AsObject().Should().ContainKey(property);
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/v2/capabilities")]
    [InlineData("https://api.hipchat.com@evil.example.com/v2/capabilities")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task A_capabilities_url_that_is_not_an_allowed_absolute_url_is_refused(string url)
    {
        var installation = HipChat.CreateInstallation(roomId: 1);
        var body = installation.ToCallbackBody();
        body["capabilitiesUrl"] = url;

        var response = await _client.PostAsJsonAsync(AddonClient.Installed, body, Cancellation);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem["errors"]!.AsObject().Should().ContainKey("CapabilitiesUrl");
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Fact]
    public async Task A_capabilities_url_on_a_host_off_the_allow_list_is_never_requested()
    {
        await using var elsewhere = await HipChatServer.StartAsync(host: "127.0.0.1", Cancellation);
        var installation = elsewhere.CreateInstallation(roomId: 1);

        var response = await _client.InstallAsync(installation);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        elsewhere.Calls.Should().BeEmpty();
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_an_unsupported_media_type_problem()
    {
        using var content = new StringContent("oauthId=a&oauthSecret=b", Encoding.UTF8, "application/x-www-form-urlencoded");

        var response = await _client.PostAsync(AddonClient.Installed, content, Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_a_payload_too_large_problem()
    {
        var installation = HipChat.CreateInstallation(roomId: 1);
        var body = installation.ToCallbackBody();
        body["padding"] = new string('x', 65 * 1024);

        var response = await _client.PostAsJsonAsync(AddonClient.Installed, body, Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Fact]
    public async Task Credentials_the_token_endpoint_refuses_are_refused_and_nothing_is_stored()
    {
        var installation = HipChat.CreateInstallation(roomId: 1) with { OAuthSecret = "not-the-secret" };

        var response = await _client.InstallAsync(installation);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "hipchat-rejected");
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Fact]
    public async Task A_token_endpoint_failing_with_5xx_is_a_bad_gateway_problem_and_nothing_is_stored()
    {
        var installation = HipChat.CreateInstallation(roomId: 1);
        HipChat.InjectFault("/oauth/token", 503);

        var response = await _client.InstallAsync(installation);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "hipchat-unavailable");
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Fact]
    public async Task A_capabilities_document_whose_body_outlasts_the_request_timeout_is_a_bad_gateway_problem()
    {
        var installation = HipChat.CreateInstallation(roomId: 1);
        HipChat.DelayBody("/capabilities", TimeSpan.FromSeconds(20));

        var response = await _client.InstallAsync(installation);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "hipchat-unavailable");
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Fact]
    public async Task A_capabilities_document_that_names_another_url_is_refused()
    {
        var installation = HipChat.CreateInstallation(roomId: 1);

        var response = await WithCapabilitiesAsync(
            document => { document["links"]!["self"] = "https://api.hipchat.com/v2/capabilities"; return document; },
            () => _client.InstallAsync(installation));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "hipchat-rejected");
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Theory]
    [InlineData("oauth2Provider", "tokenUrl")]
    [InlineData("hipchatApiProvider", "url")]
    public async Task A_capabilities_document_pointing_off_the_allow_list_is_refused_before_anything_is_sent_there(
        string provider, string field)
    {
        await using var elsewhere = await HipChatServer.StartAsync(host: "127.0.0.1", Cancellation);
        var installation = HipChat.CreateInstallation(roomId: 1);

        var response = await WithCapabilitiesAsync(
            document =>
            {
                document["capabilities"]![provider]![field] = elsewhere.ApiUrl.AbsoluteUri;
                return document;
            },
            () => _client.InstallAsync(installation));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "host-not-allowed");
        elsewhere.Calls.Should().BeEmpty();
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Fact]
    public async Task A_capabilities_document_without_a_token_url_is_refused()
    {
        var installation = HipChat.CreateInstallation(roomId: 1);

        var response = await WithCapabilitiesAsync(
            document => { document["capabilities"]!.AsObject().Remove("oauth2Provider"); return document; },
            () => _client.InstallAsync(installation));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "hipchat-rejected");
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Fact]
    public async Task The_stored_installation_keeps_what_the_capabilities_document_said()
    {
        var installation = HipChat.CreateInstallation(roomId: 55, groupId: 9);

        (await _client.InstallAsync(installation)).StatusCode.Should().Be(HttpStatusCode.OK);

        var stored = await factory.WithStoreAsync(store => store.FindInstallationAsync(installation.OAuthId, Cancellation));
        stored!.RoomId.Should().Be(55);
        stored.GroupId.Should().Be(9);
        stored.TokenUrl.Should().Be(HipChat.TokenUrl);
        stored.ApiBaseUrl.Should().Be(HipChat.ApiUrl);
        stored.CapabilitiesUrl.Should().Be(HipChat.CapabilitiesUrl);
    }

    [Fact]
    public async Task A_capabilities_url_redirecting_off_the_allow_list_is_not_followed()
    {
        await using var elsewhere = await HipChatServer.StartAsync(host: "127.0.0.1", Cancellation);
        var installation = HipChat.CreateInstallation(roomId: 1);
        HipChat.InjectFault("/capabilities", 302, headers: new Dictionary<string, string>
        {
            ["Location"] = elsewhere.CapabilitiesUrl.AbsoluteUri,
        });

        var response = await _client.InstallAsync(installation);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "host-not-allowed");
        elsewhere.Calls.Should().BeEmpty();
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Fact]
    public async Task An_oversized_capabilities_document_is_refused_without_storing_anything()
    {
        var installation = HipChat.CreateInstallation(roomId: 1);

        var response = await WithCapabilitiesAsync(
            document => { document["padding"] = new string('p', 2 * 1024 * 1024); return document; },
            () => _client.InstallAsync(installation));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "hipchat-rejected");
        await ShouldNotBeStoredAsync(installation.OAuthId);
    }

    [Theory]
    [InlineData("oauthId", 65, "OAuthId")]
    [InlineData("oauthSecret", 257, "OAuthSecret")]
    [InlineData("capabilitiesUrl", 2100, "CapabilitiesUrl")]
    public async Task An_absurdly_long_field_is_a_validation_problem(string field, int length, string property)
    {
        var installation = HipChat.CreateInstallation(roomId: 1);
        var body = installation.ToCallbackBody();
        body[field] = field == "capabilitiesUrl"
            ? HipChat.CapabilitiesUrl.AbsoluteUri + "?" + new string('q', length)
            : new string('a', length);

        var response = await _client.PostAsJsonAsync(AddonClient.Installed, body, Cancellation);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem["errors"]!.AsObject().Should().ContainKey(property);
    }

    [Fact]
    public async Task Concurrent_identical_install_callbacks_all_succeed_and_store_one_installation()
    {
        var installation = HipChat.CreateInstallation(roomId: 77);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _client.InstallAsync(installation)));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        (await factory.WithDbAsync(db => db.Installations.CountAsync(i => i.OAuthId == installation.OAuthId, Cancellation)))
            .Should().Be(1);
        (await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.OAuthId == installation.OAuthId, Cancellation)))
            .Should().Be(1);
        (await _client.SendRoomMessageAsync(installation, 77, "after the race")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_update_callback_reproves_the_stored_secret_at_the_stored_token_url_and_keeps_the_room()
    {
        var installation = HipChat.CreateInstallation(roomId: 78);
        await _client.InstallAsync(installation);
        var proofs = HipChat.TokenCallsFor(installation).Count;

        var response = await UpdateAsync(new { oauthId = installation.OAuthId, capabilitiesUrl = Capabilities, roomId = 78 });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        HipChat.TokenCallsFor(installation).Count.Should().Be(proofs + 1);
        (await StoredAsync(installation.OAuthId)).RoomId.Should().Be(78);
    }

    [Theory]
    [InlineData(79L)]
    [InlineData(null)]
    public async Task An_update_callback_cannot_move_a_room_installation_or_widen_it_to_the_group(long? roomId)
    {
        var installation = HipChat.CreateInstallation(roomId: 82);
        await _client.InstallAsync(installation);
        var (capabilitiesReads, proofs) = (CapabilitiesReads(), HipChat.TokenCallsFor(installation).Count);
        object body = roomId is null
            ? new { oauthId = installation.OAuthId, capabilitiesUrl = Capabilities }
            : new { oauthId = installation.OAuthId, capabilitiesUrl = Capabilities, roomId };

        var response = await UpdateAsync(body);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "domain-rule");
        (await StoredAsync(installation.OAuthId)).RoomId.Should().Be(82);
        (CapabilitiesReads(), HipChat.TokenCallsFor(installation).Count).Should().Be(
            (capabilitiesReads, proofs), "a refused update spends none of the installation's HipChat rate limit");
        (await _client.SendRoomMessageAsync(installation, 82, "still here")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_update_callback_cannot_turn_a_global_installation_into_a_room_one()
    {
        var installation = HipChat.CreateInstallation(roomId: null);
        await _client.InstallAsync(installation);

        var response = await UpdateAsync(new { oauthId = installation.OAuthId, capabilitiesUrl = Capabilities, roomId = 83 });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "domain-rule");
        (await StoredAsync(installation.OAuthId)).IsGlobal.Should().BeTrue();
    }

    [Fact]
    public async Task An_update_callback_for_an_unknown_installation_is_a_not_found_problem()
    {
        var capabilitiesReads = CapabilitiesReads();

        var response = await _client.PostAsJsonAsync(
            AddonClient.UpdateInstallation,
            new { oauthId = Guid.NewGuid().ToString(), capabilitiesUrl = HipChat.CapabilitiesUrl.AbsoluteUri },
            Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not-found");
        CapabilitiesReads().Should().Be(capabilitiesReads);
    }

    [Fact]
    public async Task An_update_callback_whose_stored_secret_hipchat_no_longer_accepts_changes_nothing()
    {
        var installation = HipChat.CreateInstallation(roomId: 80);
        await _client.InstallAsync(installation);
        HipChat.RemoveInstallation(installation.OAuthId);

        var response = await UpdateAsync(new { oauthId = installation.OAuthId, capabilitiesUrl = Capabilities, roomId = 80 });

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "hipchat-rejected");
        var stored = await StoredAsync(installation.OAuthId);
        stored.UpdatedAt.Should().Be(stored.InstalledAt);
    }

    private string Capabilities => HipChat.CapabilitiesUrl.AbsoluteUri;

    private Task<HttpResponseMessage> UpdateAsync(object body) =>
        _client.PostAsJsonAsync(AddonClient.UpdateInstallation, body, Cancellation);

    private async Task<Installation> StoredAsync(string oAuthId) =>
        (await factory.WithStoreAsync(store => store.FindInstallationAsync(oAuthId, Cancellation)))!;

    private int CapabilitiesReads() => HipChat.Calls.Count(c => c.Path == HipChat.CapabilitiesUrl.AbsolutePath);

    private async Task<HttpResponseMessage> WithCapabilitiesAsync(
        Func<JsonObject, JsonObject> rewrite, Func<Task<HttpResponseMessage>> act)
    {
        HipChat.CapabilitiesDocument = rewrite;
        try
        {
            return await act();
        }
        finally
        {
            HipChat.CapabilitiesDocument = document => document;
        }
    }

    private async Task ShouldNotBeStoredAsync(string oAuthId)
    {
        (await factory.WithStoreAsync(store => store.FindInstallationAsync(oAuthId, Cancellation))).Should().BeNull();
        (await factory.WithStoreAsync(store => store.FindAccessTokenAsync(oAuthId, "", Cancellation))).Should().BeNull();
    }
}

public sealed class PostgresInstallAddonTests(AddonApiFactory<Postgres> factory)
    : InstallAddonTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteInstallAddonTests(AddonApiFactory<Sqlite> factory)
    : InstallAddonTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
