using Microsoft.Playwright;

namespace CleanAddon.IntegrationTests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download cannot work here), headless and kept off the
/// network it has no business with.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where each test saves screenshots of the pages it drove, for people to look at.</summary>
    public static string ScreenshotDirectory
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "CleanAddon.sln")))
            {
                root = root.Parent;
            }

            var directory = Path.Combine(root?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    /// <summary>
    /// How long a web-first assertion waits. Playwright's 5 s is tight for webhook → outbox → emulator → a page's
    /// polling on a loaded two-core machine; a passing assertion returns as soon as it holds.
    /// </summary>
    public static readonly TimeSpan ExpectTimeout = TimeSpan.FromSeconds(20);

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)ExpectTimeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
