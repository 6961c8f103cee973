using System.Net;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Glances;

/// <summary>The glance query HipChat clients make with <c>signed_request</c>: declared keys only, valid JWTs only, per room.</summary>
public abstract class GlanceTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_glance_key_nobody_declared_is_a_not_found_problem()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        var response = await _client.GetAsync(
            $"/glances/nobody-declared-this?signed_request={HipChatServer.SignJwt(installation, room)}", Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("wrong-secret")]
    [InlineData("expired")]
    [InlineData("not-installed")]
    public async Task A_glance_query_without_a_valid_jwt_is_an_unauthorized_problem(string jwt)
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var issuedLongAgo = DateTimeOffset.UtcNow.AddMinutes(-20);
        var query = jwt switch
        {
            "missing" => "",
            "wrong-secret" => "?signed_request=" + HipChatServer.SignJwt(installation with { OAuthSecret = "not-the-secret" }, room),
            "expired" => "?signed_request=" + HipChatJwt.Sign(
                HipChatJwt.Header(),
                HipChatJwt.Payload(installation.OAuthId, "4979430", room, issuedLongAgo, TimeSpan.FromMinutes(15)),
                installation.OAuthSecret),
            _ => "?signed_request=" + HipChatServer.SignJwt(factory.HipChat.CreateInstallation(room), room),
        };

        var response = await _client.GetAsync(AddonClient.Glance + query, Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_global_installation_answers_each_rooms_own_echo_count()
    {
        var (busy, quiet, silent) = (Deliveries.NewRoom(), Deliveries.NewRoom(), Deliveries.NewRoom());
        var installation = await factory.InstallAsync(room: null);
        await factory.SendAsync(installation, busy, "one");
        await factory.SendAsync(installation, busy, "two");
        await factory.SendAsync(installation, quiet, "three");
        await factory.HipChat.WaitForDeliveryAsync(busy, "echo two");
        await factory.HipChat.WaitForDeliveryAsync(quiet, "echo three");

        var glances = await Task.WhenAll(new[] { busy, quiet, silent }.Select(room => _client.GetAsync(
            $"{AddonClient.Glance}?signed_request={HipChatServer.SignJwt(installation, room)}", Cancellation)));

        glances.Should().OnlyContain(glance => glance.StatusCode == HttpStatusCode.OK);
        (await Task.WhenAll(glances.Select(async glance => (await glance.ReadJsonAsync())!["label"]!["value"]!.GetValue<string>())))
            .Should().Equal("<b>2</b> echoes", "<b>1</b> echo", "<b>0</b> echoes");
    }
}

public sealed class PostgresGlanceTests(AddonApiFactory<Postgres> factory)
    : GlanceTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteGlanceTests(AddonApiFactory<Sqlite> factory)
    : GlanceTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
