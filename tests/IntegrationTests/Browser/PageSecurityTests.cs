using System.Net;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using CleanAddon.IntegrationTests.TestAddon;
using Microsoft.Playwright;

namespace CleanAddon.IntegrationTests.Browser;

/// <summary>
/// What the framework does for every view, whatever renders it (here the test add-on's web panel): only HipChat may
/// frame it, only its own scripts run, and its JWT comes only from <c>signed_request</c>.
/// </summary>
public abstract class PageSecurityTests(AddonApiFactory factory, BrowserFixture browser) : IAsyncLifetime
{
    private const string Panel = "/pages/" + TestAddonModule.PanelKey;
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
    public async Task A_page_is_only_frameable_by_hipchat_and_the_browser_runs_only_its_own_scripts()
    {
        var installation = await InstallAsync(room: 814);
        var response = await _client.GetAsync(
            $"{Panel}?signed_request={HipChatServer.SignJwt(installation, 814)}", TestContext.Current.CancellationToken);
        var page = await OpenAsync(installation, 814);

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
    public async Task A_page_takes_its_token_only_from_signed_request()
    {
        var installation = await InstallAsync(room: 815);
        using var pageWithHeader = new HttpRequestMessage(HttpMethod.Get, Panel);
        pageWithHeader.Headers.TryAddWithoutValidation("Authorization", $"JWT {HipChatServer.SignJwt(installation, 815)}");

        var page = await _client.SendAsync(pageWithHeader, TestContext.Current.CancellationToken);

        await page.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    private async Task<EmulatedInstallation> InstallAsync(long room)
    {
        var installation = factory.HipChat.CreateInstallation(roomId: room);
        (await _client.InstallAsync(installation)).EnsureSuccessStatusCode();
        return installation;
    }

    private async Task<IPage> OpenAsync(EmulatedInstallation installation, long room)
    {
        var page = await _context.NewPageAsync();
        var response = await page.GotoAsync(
            new Uri(factory.ServerAddress, $"{Panel}?signed_request={HipChatServer.SignJwt(installation, room)}").AbsoluteUri);
        response!.Status.Should().Be(200);
        await page.WaitForFunctionAsync("() => window.HipChat !== undefined");
        return page;
    }
}

public sealed class PostgresPageSecurityTests(AddonApiFactory<Postgres> factory, BrowserFixture browser)
    : PageSecurityTests(factory, browser), IClassFixture<AddonApiFactory<Postgres>>, IClassFixture<BrowserFixture>;

public sealed class SqlitePageSecurityTests(AddonApiFactory<Sqlite> factory, BrowserFixture browser)
    : PageSecurityTests(factory, browser), IClassFixture<AddonApiFactory<Sqlite>>, IClassFixture<BrowserFixture>;
