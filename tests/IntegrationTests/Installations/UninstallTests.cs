using System.Net;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Installations;

public abstract class UninstallTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://evil.example.com/phish")]
    [InlineData("//evil.example.com/phish")]
    [InlineData("javascript:alert(1)")]
    public async Task A_redirect_url_off_the_allow_list_is_refused_and_nothing_is_deleted(string redirect)
    {
        var installation = factory.HipChat.CreateInstallation(roomId: 20);
        await _client.InstallAsync(installation);

        var response = await _client.GetAsync(
            $"{AddonClient.Uninstalled}?redirect_url={Uri.EscapeDataString(redirect)}"
            + $"&installable_url={Uri.EscapeDataString(factory.HipChat.InstallableUrl(installation.OAuthId).AbsoluteUri)}",
            Cancellation);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem["errors"]!.AsObject().Should().ContainKey("RedirectUrl");
        response.Headers.Location.Should().BeNull();
        (await factory.WithStoreAsync(store => store.FindInstallationAsync(installation.OAuthId, Cancellation))).Should().NotBeNull();
    }

    [Fact]
    public async Task An_installable_url_off_the_allow_list_is_never_fetched()
    {
        await using var elsewhere = await HipChatServer.StartAsync(host: "127.0.0.1", Cancellation);
        var installation = factory.HipChat.CreateInstallation(roomId: 21);
        await _client.InstallAsync(installation);

        var response = await _client.GetAsync(
            $"{AddonClient.Uninstalled}?redirect_url={Uri.EscapeDataString(factory.HipChat.BaseUrl.AbsoluteUri)}"
            + $"&installable_url={Uri.EscapeDataString(elsewhere.InstallableUrl(installation.OAuthId).AbsoluteUri)}",
            Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        elsewhere.Calls.Should().BeEmpty();
        (await factory.WithStoreAsync(store => store.FindInstallationAsync(installation.OAuthId, Cancellation))).Should().NotBeNull();
    }

    [Fact]
    public async Task Missing_query_parameters_are_a_validation_problem()
    {
        var response = await _client.GetAsync(AddonClient.Uninstalled, Cancellation);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation");
        problem["errors"]!.AsObject().Should().ContainKeys("RedirectUrl", "InstallableUrl");
    }
}

public sealed class PostgresUninstallTests(AddonApiFactory<Postgres> factory)
    : UninstallTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteUninstallTests(AddonApiFactory<Sqlite> factory)
    : UninstallTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
