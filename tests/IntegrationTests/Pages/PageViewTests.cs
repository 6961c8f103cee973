using System.Net;
using System.Text.RegularExpressions;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using CleanAddon.IntegrationTests.TestAddon;

namespace CleanAddon.IntegrationTests.Pages;

/// <summary>
/// A view as the framework serves it, declared by the test add-on as a component (<see cref="TallyPanel"/>): wrapped
/// in the page HipChat expects, given its <c>PageContext</c> and its services.
/// </summary>
public abstract partial class PageViewTests(AddonApiFactory factory)
{
    private const string Panel = "/pages/" + TestAddonModule.PanelKey;

    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_view_gets_its_page_context_and_its_modules_state_inside_the_page_hipchat_expects()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        await factory.SettleRoomAsync(installation, room);

        var response = await _client.GetAsync($"{Panel}?signed_request={HipChatServer.SignJwt(installation, room)}", Cancellation);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var html = await response.Content.ReadAsStringAsync(Cancellation);
        html.Should().Contain($"<p id=\"tally\">1 echoes in room {room}</p>")
            .And.Contain($"<p id=\"context\">{TestAddonModule.PanelKey} {installation.OAuthId} 4979430</p>")
            .And.Contain("<title>Echo tally</title>")
            .And.Contain("https://aui-cdn.atlassian.com/");
        var nonce = NonceOf(response.Headers.GetValues("Content-Security-Policy").Single());
        html.Should().Contain($"<script src=\"{new Uri(factory.HipChat.BaseUrl, "atlassian-connect/all.js").AbsoluteUri}\" nonce=\"{nonce}\">")
            .And.Contain($"<script src=\"../js/hipchat-addon.js\" nonce=\"{nonce}\">");
    }

    [Fact]
    public async Task The_frameworks_page_script_is_served_to_every_view()
    {
        var response = await _client.GetAsync("/js/hipchat-addon.js", Cancellation);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        (await response.Content.ReadAsStringAsync(Cancellation))
            .Should().Contain("HipChat.auth.withToken").And.Contain("'Authorization': 'JWT ' + token");
    }

    private static string NonceOf(string policy) => Nonce().Match(policy).Groups[1].Value;

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex Nonce();
}

public sealed class PostgresPageViewTests(AddonApiFactory<Postgres> factory)
    : PageViewTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqlitePageViewTests(AddonApiFactory<Sqlite> factory)
    : PageViewTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
