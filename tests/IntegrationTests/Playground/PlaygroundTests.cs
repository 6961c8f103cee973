using CleanAddon.IntegrationTests.Browser;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CleanAddon.IntegrationTests.Playground;

/// <summary>The sample add-on installed and clicked through in the playground, as a developer would, in a real browser.</summary>
public abstract class PlaygroundTests(AddonApiFactory addon, Uri descriptorUrl, PlaygroundFixture playground, BrowserFixture browser)
    : IAsyncLifetime
{
    private IBrowserContext _context = null!;

    public async ValueTask InitializeAsync() =>
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
        });

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task An_installed_add_on_echoes_counts_in_its_glance_and_posts_a_card_from_its_sidebar()
    {
        var page = await InstallAsync(room: 1);
        var glance = page.Locator(".glance[data-key='sample-glance'] .glance-label");
        await Assertions.Expect(glance).ToHaveTextAsync("0 echoes");

        await page.FillAsync("#message", "hello");
        await page.ClickAsync("#send");

        await Assertions.Expect(page.Locator("#feed .notification", new() { HasText = "echo hello" })).ToHaveCountAsync(1);
        await Assertions.Expect(glance).ToHaveTextAsync("1 echo");

        await glance.ClickAsync();
        var sidebar = page.FrameLocator("#panel-frame");
        await Assertions.Expect(sidebar.Locator("#echo-count")).ToContainTextAsync("1 echo");
        await sidebar.Locator("#card-description").FillAsync("Sent from the playground sidebar");
        await sidebar.Locator("#send-card").ClickAsync();

        await Assertions.Expect(sidebar.Locator("#status")).ToHaveTextAsync("Card sent.");
        await Assertions.Expect(page.Locator("#feed .card")).ToContainTextAsync("Sent from the playground sidebar");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("playground") });
    }

    [Fact]
    public async Task The_dialogs_primary_button_posts_a_card_and_uninstalling_runs_the_redirect_flow()
    {
        var page = await InstallAsync(room: 2);
        await page.ClickAsync(".installation .open-dialog");
        await page.FrameLocator("#dialog-frame").Locator("#card-description").FillAsync("Sent from the playground dialog");

        await page.ClickAsync("#dialog-primary");

        await Assertions.Expect(page.Locator("#feed .card")).ToContainTextAsync("Sent from the playground dialog");
        await Assertions.Expect(page.Locator("#dialog")).ToBeHiddenAsync();

        await page.ClickAsync(".installation .uninstall");

        await Assertions.Expect(page.Locator("#feed .system").Last).ToHaveTextAsync("Clean Add-on was uninstalled.");
        await Assertions.Expect(page.Locator(".installation")).ToHaveCountAsync(0);
        var left = await addon.WithDbAsync(db => db.Installations.CountAsync(
            i => i.RoomId == 2, TestContext.Current.CancellationToken));
        left.Should().Be(0);
    }

    private async Task<IPage> InstallAsync(long room)
    {
        var page = await _context.NewPageAsync();
        await page.GotoAsync(new Uri(playground.BaseUrl, $"?room={room}").AbsoluteUri);
        await page.FillAsync("#descriptor-url", descriptorUrl.AbsoluteUri);
        await page.SelectOptionAsync("#install-scope", "room");
        await page.ClickAsync("#install");
        await Assertions.Expect(page.Locator("#install-status")).ToHaveTextAsync("Clean Add-on installed.");
        return page;
    }

    private string Screenshot(string name) =>
        Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}-{addon.Provider.ToString().ToLowerInvariant()}.png");
}

public sealed class PostgresPlaygroundTests(
    AnnouncedAddonFactory<Postgres> addon, PlaygroundFixture playground, BrowserFixture browser)
    : PlaygroundTests(addon, addon.DescriptorUrl, playground, browser),
        IClassFixture<AnnouncedAddonFactory<Postgres>>, IClassFixture<PlaygroundFixture>, IClassFixture<BrowserFixture>;

public sealed class SqlitePlaygroundTests(
    AnnouncedAddonFactory<Sqlite> addon, PlaygroundFixture playground, BrowserFixture browser)
    : PlaygroundTests(addon, addon.DescriptorUrl, playground, browser),
        IClassFixture<AnnouncedAddonFactory<Sqlite>>, IClassFixture<PlaygroundFixture>, IClassFixture<BrowserFixture>;
