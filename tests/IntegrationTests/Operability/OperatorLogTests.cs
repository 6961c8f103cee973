using System.Net;
using System.Net.Http.Json;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Operability;

/// <summary>What an operator reads at Information when HipChat installs, re-installs or uninstalls: ids, never secrets.</summary>
public abstract class OperatorLogTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Install_reinstall_update_and_uninstall_are_each_logged_at_information_with_ids_only()
    {
        var installation = factory.HipChat.CreateInstallation(roomId: 4301, groupId: 43);
        var id = installation.OAuthId;

        (await _client.InstallAsync(installation)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _client.InstallAsync(installation)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _client.PostAsJsonAsync(
            AddonClient.UpdateInstallation,
            new { oauthId = id, capabilitiesUrl = factory.HipChat.CapabilitiesUrl.AbsoluteUri, roomId = 4301 },
            Cancellation)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _client.UninstallAsync(factory.HipChat, id)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var information = factory.Logs.Entries.Where(e => e.StartsWith("Information ", StringComparison.Ordinal)).ToList();
        information.Should().ContainSingle(e => e.Contains($"Installation {id} installed: group 43, room 4301", StringComparison.Ordinal));
        information.Should().ContainSingle(e => e.Contains(
            $"Installation {id} re-installed with proven credentials: group 43, room 4301", StringComparison.Ordinal));
        information.Should().ContainSingle(e => e.Contains(
            $"Installation {id} re-installed through the update callback: group 43, room 4301", StringComparison.Ordinal));
        information.Should().ContainSingle(e => e.Contains($"Installation {id} uninstalled: group 43, room 4301", StringComparison.Ordinal));
        factory.Logs.Entries.Should().NotContain(e => e.Contains(installation.OAuthSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Calls_to_hipchat_write_no_log_line_each_at_the_default_levels()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);

        await factory.SendAsync(installation, room, "quiet");
        var delivered = await factory.SettleRoomAsync(installation, room);

        delivered.Should().Contain(c => Deliveries.MessageOf(c) == "echo quiet");
        factory.Logs.Entries.Should().NotContain(e => e.Contains("System.Net.Http.HttpClient.", StringComparison.Ordinal)
            && !e.Contains(" scope: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_global_installation_is_logged_as_covering_the_whole_group()
    {
        var installation = factory.HipChat.CreateInstallation(roomId: null, groupId: 44);

        (await _client.InstallAsync(installation)).StatusCode.Should().Be(HttpStatusCode.OK);

        factory.Logs.Entries.Should().ContainSingle(e => e.StartsWith("Information ", StringComparison.Ordinal)
            && e.Contains($"Installation {installation.OAuthId} installed: group 44, the whole group", StringComparison.Ordinal));
    }
}

public sealed class PostgresOperatorLogTests(AddonApiFactory<Postgres> factory)
    : OperatorLogTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteOperatorLogTests(AddonApiFactory<Sqlite> factory)
    : OperatorLogTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
