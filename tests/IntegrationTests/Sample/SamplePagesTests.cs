using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Browser;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace CleanAddon.IntegrationTests.Sample;

/// <summary>The sample add-on's views as a HipChat user sees them, in a real browser, against the emulator's all.js.</summary>
public abstract class SamplePagesTests(AddonApiFactory factory, BrowserFixture browser) : IAsyncLifetime
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

        await Assertions.Expect(page.Locator(".error[data-error-for='echoPrefix']")).ToContainTextAsync("must not be empty");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("configure-invalid") });
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#echoPrefix")).ToHaveValueAsync("echo");
    }

    [Fact]
    public async Task The_card_endpoint_takes_its_token_only_from_the_header()
    {
        var installation = await InstallAsync(room: 815);
        var jwt = HipChatServer.SignJwt(installation, 815);
        using var cardWithQuery = new HttpRequestMessage(HttpMethod.Post, $"/post-card?signed_request={jwt}")
        {
            Content = new FormUrlEncodedContent([new("cardDescription", "sneaky")]),
        };

        var card = await _client.SendAsync(cardWithQuery, TestContext.Current.CancellationToken);

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

public sealed class PostgresSamplePagesTests(SampleAddonFactory<Postgres> factory, BrowserFixture browser)
    : SamplePagesTests(factory, browser), IClassFixture<SampleAddonFactory<Postgres>>, IClassFixture<BrowserFixture>;

public sealed class SqliteSamplePagesTests(SampleAddonFactory<Sqlite> factory, BrowserFixture browser)
    : SamplePagesTests(factory, browser), IClassFixture<SampleAddonFactory<Sqlite>>, IClassFixture<BrowserFixture>;
