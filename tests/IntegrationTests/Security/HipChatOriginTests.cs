using System.Net;
using System.Net.Http.Json;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Security;

/// <summary>
/// Two HipChats on the allow-list (<c>localhost</c>, where the installations live, and <c>127.0.0.1</c>, another
/// allowed HipChat that tries to take them over): an installation belongs to the origin of the capabilities URL that
/// created it, and its secret and tokens never travel to another.
/// </summary>
public abstract class HipChatOriginTests(AddonApiFactory factory) : IAsyncLifetime
{
    private readonly HttpClient _client = factory.CreateAddonClient();
    private HipChatServer _other = null!;

    private HipChatServer Own => factory.HipChat;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _other = await HipChatServer.StartAsync("127.0.0.1", Cancellation);

    public async ValueTask DisposeAsync()
    {
        await _other.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_reinstall_from_another_hipchat_naming_a_known_oauth_id_is_refused_and_the_secret_stays()
    {
        var genuine = await factory.InstallAsync(61);
        var impostor = Impostor(genuine);

        var response = await _client.InstallAsync(impostor);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "domain-rule");
        _other.Calls.Should().BeEmpty("the other HipChat is not even asked");
        (await _client.SendRoomMessageAsync(impostor, 61, "my secret now")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _client.SendRoomMessageAsync(genuine, 61, "still mine")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_update_callback_naming_another_hipchat_is_refused_and_sends_it_nothing()
    {
        var genuine = await factory.InstallAsync(62);

        var response = await UpdateAsync(genuine, _other.CapabilitiesUrl, 62);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "domain-rule");
        _other.Calls.Should().BeEmpty("neither the capabilities nor the stored secret go to another HipChat");
        (await factory.WithStoreAsync(store => store.FindInstallationAsync(genuine.OAuthId, Cancellation)))!
            .TokenUrl.Should().Be(Own.TokenUrl);
    }

    [Fact]
    public async Task An_update_whose_capabilities_document_moves_the_token_url_never_sends_the_stored_secret_there()
    {
        var genuine = await factory.InstallAsync(63);
        Own.CapabilitiesDocument = document =>
        {
            document["capabilities"]!["oauth2Provider"]!["tokenUrl"] = _other.TokenUrl.AbsoluteUri;
            return document;
        };

        HttpResponseMessage response;
        try
        {
            response = await UpdateAsync(genuine, Own.CapabilitiesUrl, 63);
        }
        finally
        {
            Own.CapabilitiesDocument = document => document;
        }

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "domain-rule");
        _other.Calls.Should().BeEmpty();
        (await _client.SendRoomMessageAsync(genuine, 63, "unchanged")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_uninstall_through_another_hipchats_installable_url_deletes_nothing()
    {
        var genuine = await factory.InstallAsync(64);
        _other.Register(Impostor(genuine));

        var response = await _client.UninstallAsync(_other, genuine.OAuthId);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "domain-rule");
        (await factory.WithStoreAsync(store => store.FindInstallationAsync(genuine.OAuthId, Cancellation))).Should().NotBeNull();
        (await _client.SendRoomMessageAsync(genuine, 64, "not gone")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task After_a_takeover_attempt_tokens_and_deliveries_go_to_the_installations_own_hipchat_only()
    {
        var genuine = await factory.InstallAsync(65);
        await factory.SendAsync(genuine, 65, "before");
        await Own.WaitForDeliveryAsync(65, "echo before");
        var impostor = Impostor(genuine);

        await _client.InstallAsync(impostor);
        var forged = await _client.SendRoomMessageAsync(impostor, 65, "forged");
        await factory.SendAsync(genuine, 65, "after");

        forged.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await Own.WaitForDeliveryAsync(65, "echo after");
        _other.Calls.Should().BeEmpty("no token request, bearer token or notification reaches the other HipChat");
    }

    /// <summary>The other HipChat's own OAuth client under the genuine installation's oauthId, and a secret of its choosing.</summary>
    private EmulatedInstallation Impostor(EmulatedInstallation genuine)
    {
        var impostor = _other.CreateInstallation(genuine.RoomId) with { OAuthId = genuine.OAuthId };
        _other.Register(impostor);
        return impostor;
    }

    private Task<HttpResponseMessage> UpdateAsync(EmulatedInstallation installation, Uri capabilitiesUrl, long roomId) =>
        _client.PostAsJsonAsync(
            AddonClient.UpdateInstallation,
            new { oauthId = installation.OAuthId, capabilitiesUrl = capabilitiesUrl.AbsoluteUri, roomId },
            Cancellation);

    public sealed class TwoHipChatsFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        // The port does not matter to the allow-list: the other HipChat's server is started by each test.
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["HipChat:AllowedHosts:2"] = "127.0.0.1",
        };
    }
}

public sealed class PostgresHipChatOriginTests(HipChatOriginTests.TwoHipChatsFactory<Postgres> factory)
    : HipChatOriginTests(factory), IClassFixture<HipChatOriginTests.TwoHipChatsFactory<Postgres>>;

public sealed class SqliteHipChatOriginTests(HipChatOriginTests.TwoHipChatsFactory<Sqlite> factory)
    : HipChatOriginTests(factory), IClassFixture<HipChatOriginTests.TwoHipChatsFactory<Sqlite>>;
