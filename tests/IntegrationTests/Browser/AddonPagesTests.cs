using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace CleanAddon.IntegrationTests.Browser;

/// <summary>The sample add-on's views as a HipChat user sees them, in a real browser, against the emulator's all.js.</summary>
public abstract class AddonPagesTests(AddonApiFactory factory, BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Delivery = Deliveries.Timeout;
    private readonly HttpClient _client = factory.CreateAddonClient();
    private IBrowserContext _context = null!;

    public async ValueTask InitializeAsync() =>
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 420, Height = 640 },
        });

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task The_sidebar_shows_the_rooms_echo_count_and_posts_a_card_to_the_room()
    {
        var installation = await InstallAsync(room: 810);
        await _client.SendRoomMessageAsync(installation, 810, "one");
        await _client.SendRoomMessageAsync(installation, 810, "two");
        await factory.HipChat.WaitForAsync("/room/810/notification", c => c.Count >= 2, Delivery);
        var page = await OpenAsync("sample-sidebar", installation, 810);

        await Assertions.Expect(page.Locator("#echo-count")).ToContainTextAsync("2 echoes");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("sidebar") });
        await page.FillAsync("#card-description", "Posted from the browser test");
        await page.ClickAsync("#send-card");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Card sent.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("sidebar-card-sent") });
        var calls = await factory.SettleRoomAsync(installation, 810);
        var card = JsonNode.Parse(calls.Should().ContainSingle(c => c.Body.Contains("\"card\"", StringComparison.Ordinal))
            .Subject.Body)!["card"]!;
        card["style"]!.GetValue<string>().Should().Be("application");
        card["description"]!["value"]!.GetValue<string>().Should().Be("Posted from the browser test");
    }

    [Fact]
    public async Task The_dialogs_primary_button_posts_a_card_and_closes_the_dialog()
    {
        var installation = await InstallAsync(room: 811);
        var page = await OpenAsync("sample-dialog", installation, 811);
        await page.FillAsync("#card-description", "Sent from the dialog");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("dialog") });

        await page.EvaluateAsync(
            "() => HipChat.__trigger('dialog-button-click', { action: 'sample-dialog.send' }, closed => window.dialogClosed = closed)");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Card sent.");
        (await page.EvaluateAsync<bool>("() => window.dialogClosed === true")).Should().BeTrue();
        (await factory.SettleRoomAsync(installation, 811))
            .Should().ContainSingle(c => c.Body.Contains("Sent from the dialog", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_configure_page_saves_settings_that_change_the_echo()
    {
        var installation = await InstallAsync(room: 812);
        var page = await OpenAsync("configure", installation, 812);
        await Assertions.Expect(page.Locator("#echoPrefix")).ToHaveValueAsync("echo");

        await page.FillAsync("#echoPrefix", "ECHO:");
        await page.SelectOptionAsync("#color", "purple");
        await page.UncheckAsync("#glanceEnabled");
        await page.ClickAsync("#save");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Saved.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("configure-saved") });
        (await _client.SendRoomMessageAsync(installation, 812, "hi")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var echo = (await factory.SettleRoomAsync(installation, 812))[0];
        Deliveries.MessageOf(echo).Should().Be("ECHO: hi");
        JsonNode.Parse(echo.Body)!["color"]!.GetValue<string>().Should().Be("purple");
        factory.HipChat.GlanceUpdates.Should().NotContain(c => c.Path.EndsWith("/room/812", StringComparison.Ordinal));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#echoPrefix")).ToHaveValueAsync("ECHO:");
        await Assertions.Expect(page.Locator("#glanceEnabled")).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task The_configure_page_shows_validation_errors_next_to_the_field_and_saves_nothing()
    {
        var installation = await InstallAsync(room: 813);
        var page = await OpenAsync("configure", installation, 813);

        await page.FillAsync("#echoPrefix", "   ");
        await page.ClickAsync("#save");

        await Assertions.Expect(page.Locator(".error[data-for='EchoPrefix']")).ToContainTextAsync("must not be empty");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("configure-invalid") });
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#echoPrefix")).ToHaveValueAsync("echo");
    }

    [Fact]
    public async Task A_page_is_only_frameable_by_hipchat_and_the_browser_runs_only_its_own_scripts()
    {
        var installation = await InstallAsync(room: 814);
        var response = await _client.GetAsync(
            $"/pages/sample-sidebar?signed_request={HipChatServer.SignJwt(installation, 814)}", TestContext.Current.CancellationToken);
        var page = await OpenAsync("sample-sidebar", installation, 814);

        var ran = await page.EvaluateAsync<string[]>("""
            async () => {
              const violations = [];
              document.addEventListener('securitypolicyviolation', e => violations.push(e.effectiveDirective));
              const injected = document.createElement('script');
              injected.textContent = 'window.__ran = (window.__ran || []).concat("inline script")';
              document.body.appendChild(injected);
              const handler = document.createElement('img');
              handler.setAttribute('onerror', 'window.__ran = (window.__ran || []).concat("event handler")');
              handler.src = '/no-such-image.png';
              document.body.appendChild(handler);
              const own = document.createElement('script');
              own.nonce = document.querySelector('script[nonce]').nonce;
              own.textContent = 'window.__ran = (window.__ran || []).concat("script with the page nonce")';
              document.body.appendChild(own);
              await new Promise(resolve => handler.addEventListener('error', resolve));
              await new Promise(resolve => setTimeout(resolve, 100));
              return (window.__ran || []).concat(violations.map(v => 'blocked by ' + v));
            }
            """);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("frame-ancestors http://localhost:* https://localhost:* https://www.hipchat.com")
            .And.Contain("script-src 'self' 'nonce-").And.Contain("object-src 'none'");
        response.Headers.Contains("X-Frame-Options").Should().BeFalse();
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        ran.Should().BeEquivalentTo("script with the page nonce", "blocked by script-src-elem", "blocked by script-src-attr");
    }

    [Fact]
    public async Task A_page_takes_its_token_only_from_signed_request_and_the_card_endpoint_only_from_the_header()
    {
        var installation = await InstallAsync(room: 815);
        var jwt = HipChatServer.SignJwt(installation, 815);
        using var pageWithHeader = new HttpRequestMessage(HttpMethod.Get, "/pages/sample-sidebar");
        pageWithHeader.Headers.TryAddWithoutValidation("Authorization", $"JWT {jwt}");
        using var cardWithQuery = new HttpRequestMessage(HttpMethod.Post, $"/post-card?signed_request={jwt}")
        {
            Content = new FormUrlEncodedContent([new("cardDescription", "sneaky")]),
        };

        var page = await _client.SendAsync(pageWithHeader, TestContext.Current.CancellationToken);
        var card = await _client.SendAsync(cardWithQuery, TestContext.Current.CancellationToken);

        await page.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await card.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    private async Task<EmulatedInstallation> InstallAsync(long room)
    {
        var installation = factory.HipChat.CreateInstallation(roomId: room);
        (await _client.InstallAsync(installation)).EnsureSuccessStatusCode();
        return installation;
    }

    private async Task<IPage> OpenAsync(string key, EmulatedInstallation installation, long room)
    {
        var page = await _context.NewPageAsync();
        var response = await page.GotoAsync(
            new Uri(factory.ServerAddress, $"/pages/{key}?signed_request={HipChatServer.SignJwt(installation, room)}").AbsoluteUri);
        response!.Status.Should().Be(200);
        await page.WaitForFunctionAsync("() => window.HipChat !== undefined");
        return page;
    }

    private string Screenshot(string name) =>
        Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}-{factory.Provider.ToString().ToLowerInvariant()}.png");
}

public sealed class PostgresAddonPagesTests(AddonApiFactory<Postgres> factory, BrowserFixture browser)
    : AddonPagesTests(factory, browser), IClassFixture<AddonApiFactory<Postgres>>, IClassFixture<BrowserFixture>;

public sealed class SqliteAddonPagesTests(AddonApiFactory<Sqlite> factory, BrowserFixture browser)
    : AddonPagesTests(factory, browser), IClassFixture<AddonApiFactory<Sqlite>>, IClassFixture<BrowserFixture>;
