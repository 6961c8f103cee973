using System.Net;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Descriptor;

/// <summary>
/// Walks the descriptor as HipChat and a browser would use it: every URL they fetch answers 200 with a fitting
/// content type, fetched at exactly the address announced. A URL the walk does not know how to fetch fails it.
/// </summary>
public abstract class DescriptorUrlsTests(AddonApiFactory factory, string baseUrl)
{
    private const long Room = 4242;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_url_hipchat_or_a_browser_fetches_from_the_descriptor_answers_200_with_a_fitting_content_type()
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var descriptor = JsonNode.Parse(await http.GetStringAsync($"{baseUrl}/capabilities.json", Cancellation))!;
        var installation = factory.HipChat.CreateInstallation(roomId: Room);
        (await factory.CreateAddonClient().InstallAsync(installation)).EnsureSuccessStatusCode();

        var urls = Urls(descriptor).Where(u => u.Url.StartsWith(baseUrl, StringComparison.Ordinal)).ToList();

        urls.Should().Contain(u => u.Path.EndsWith(".icon.url@2x", StringComparison.Ordinal), "HipChat takes 2x icons");
        var fetched = new List<string>();
        foreach (var (path, url) in urls)
        {
            var expected = ExpectedMediaType(path);
            if (expected is null)
            {
                continue;
            }

            var address = expected.Signed ? $"{url}?signed_request={HipChatServer.SignJwt(installation, Room)}" : url;
            var response = await http.GetAsync(address, Cancellation);

            response.StatusCode.Should().Be(HttpStatusCode.OK, $"{path} ({url}) is fetched by HipChat or a browser");
            response.Content.Headers.ContentType?.MediaType.Should().Be(expected.MediaType, $"{path} ({url})");
            fetched.Add(path);
        }

        fetched.Should().Contain(["links.self", "links.homepage", "capabilities.glance[0].queryUrl",
            "capabilities.glance[0].icon.url", "capabilities.webPanel[0].url", "capabilities.configurable.url"]);
    }

    /// <summary>What a GET of the URL at <paramref name="path"/> must answer; null for URLs that are not fetched by a GET.</summary>
    private static Expectation? ExpectedMediaType(string path) => path switch
    {
        "links.self" => new("application/json", Signed: false),
        "links.homepage" => new("text/html", Signed: false),
        _ when path.EndsWith(".icon.url", StringComparison.Ordinal) || path.EndsWith(".icon.url@2x", StringComparison.Ordinal)
            => new("image/png", Signed: false),
        _ when path.StartsWith("capabilities.glance[", StringComparison.Ordinal) && path.EndsWith(".queryUrl", StringComparison.Ordinal)
            => new("application/json", Signed: true),
        _ when (path.StartsWith("capabilities.webPanel[", StringComparison.Ordinal)
                || path.StartsWith("capabilities.dialog[", StringComparison.Ordinal))
            && path.EndsWith("].url", StringComparison.Ordinal) => new("text/html", Signed: true),
        "capabilities.configurable.url" => new("text/html", Signed: true),
        // HipChat POSTs to these, or sends the browser with parameters only it can give (the uninstall flow).
        _ when path.StartsWith("capabilities.installable.", StringComparison.Ordinal) => null,
        _ when path.StartsWith("capabilities.webhook[", StringComparison.Ordinal) && path.EndsWith("].url", StringComparison.Ordinal)
            => null,
        _ => throw new InvalidOperationException($"The walk does not know how HipChat fetches {path}: teach it."),
    };

    private static IEnumerable<(string Path, string Url)> Urls(JsonNode node, string path = "") => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Urls(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((n, i) => n is null ? [] : Urls(n, $"{path}[{i}]")),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Contains("://", StringComparison.Ordinal) => [(path, s)],
        _ => [],
    };

    private sealed record Expectation(string MediaType, bool Signed);
}

public sealed class PostgresDescriptorUrlsTests(AnnouncedAddonFactory<Postgres> factory)
    : DescriptorUrlsTests(factory, factory.BaseUrl), IClassFixture<AnnouncedAddonFactory<Postgres>>;

public sealed class SqliteDescriptorUrlsTests(AnnouncedAddonFactory<Sqlite> factory)
    : DescriptorUrlsTests(factory, factory.BaseUrl), IClassFixture<AnnouncedAddonFactory<Sqlite>>;
