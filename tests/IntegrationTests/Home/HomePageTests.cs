using System.Net;
using CleanAddon.IntegrationTests.Browser;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace CleanAddon.IntegrationTests.Home;

/// <summary><c>GET /</c>: the page a person sees at the add-on's address, under the add-on's security headers.</summary>
public abstract class HomePageTests(AddonApiFactory factory, BrowserFixture browser)
{
    private const string MarkupName = "<b>Acme</b> & echo";
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_home_page_tells_what_the_add_on_is_where_its_descriptor_is_how_to_install_it_and_its_health()
    {
        var response = await _client.GetAsync("/", Cancellation);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await response.Content.ReadAsStringAsync(Cancellation);
        html.Should().Contain("Echoes room messages").And.Contain("http://localhost:5080/capabilities.json")
            .And.Contain("HipChat Server").And.Contain("HipChat:AllowedHosts")
            .And.Contain("dotnet run --project tools/HipChatPlayground")
            .And.Contain("Healthy").And.Contain("health/ready").And.Contain("Version");
    }

    [Fact]
    public async Task Configured_text_is_html_encoded_and_no_inline_script_is_allowed()
    {
        var response = await _client.GetAsync("/", Cancellation);

        var html = await response.Content.ReadAsStringAsync(Cancellation);
        html.Should().Contain("&lt;b&gt;Acme&lt;/b&gt; &amp; echo").And.NotContain(MarkupName);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("script-src 'self';").And.NotContain("unsafe-inline").And.Contain("frame-ancestors 'none'");
    }

    [Fact]
    public async Task The_copy_button_runs_under_the_pages_csp_and_copies_the_descriptor_url()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Permissions = ["clipboard-read", "clipboard-write"],
            ViewportSize = new ViewportSize { Width = 900, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        await page.GotoAsync(factory.ServerAddress.AbsoluteUri);

        await page.ClickAsync("button[data-copy]");

        await Assertions.Expect(page.Locator("[role=status]")).ToHaveTextAsync("Copied.");
        (await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"))
            .Should().Be("http://localhost:5080/capabilities.json");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"home-{factory.Provider.ToString().ToLowerInvariant()}.png"),
            FullPage = true,
        });
        violations.Should().BeEmpty();
    }

    public sealed class NamedAddonFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Addon:Name"] = MarkupName,
        };
    }
}

public sealed class PostgresHomePageTests(HomePageTests.NamedAddonFactory<Postgres> factory, BrowserFixture browser)
    : HomePageTests(factory, browser), IClassFixture<HomePageTests.NamedAddonFactory<Postgres>>, IClassFixture<BrowserFixture>;

public sealed class SqliteHomePageTests(HomePageTests.NamedAddonFactory<Sqlite> factory, BrowserFixture browser)
    : HomePageTests(factory, browser), IClassFixture<HomePageTests.NamedAddonFactory<Sqlite>>, IClassFixture<BrowserFixture>;
