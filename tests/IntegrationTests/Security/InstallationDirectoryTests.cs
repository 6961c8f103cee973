using System.Net;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;
using Npgsql;

namespace CleanAddon.IntegrationTests.Security;

/// <summary>
/// The add-on keeps installations in memory for its JWT checks. Each test first has a JWT accepted, so that the
/// installation is in memory, then changes the installation and proves that the change counts at once.
/// </summary>
public abstract class InstallationDirectoryTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_jwt_of_an_installation_uninstalled_a_moment_ago_is_refused_at_once()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var jwt = HipChatServer.SignJwt(installation, room);
        (await GlanceAsync(_client, jwt)).Should().Be(HttpStatusCode.OK);

        (await _client.UninstallAsync(factory.HipChat, installation.OAuthId)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        (await GlanceAsync(_client, jwt)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task After_a_proven_reinstall_with_a_new_secret_the_old_secrets_jwts_are_refused_and_the_new_ones_accepted()
    {
        var room = Deliveries.NewRoom();
        var first = await factory.InstallAsync(room);
        var oldJwt = HipChatServer.SignJwt(first, room);
        (await GlanceAsync(_client, oldJwt)).Should().Be(HttpStatusCode.OK);
        var rotated = factory.HipChat.CreateInstallation(room) with { OAuthId = first.OAuthId };
        factory.HipChat.RemoveInstallation(first.OAuthId);
        factory.HipChat.Register(rotated);

        (await _client.InstallAsync(rotated)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await GlanceAsync(_client, oldJwt)).Should().Be(HttpStatusCode.Unauthorized);
        (await GlanceAsync(_client, HipChatServer.SignJwt(rotated, room))).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_jwt_of_an_installation_hipchat_revoked_is_refused_once_the_revocation_is_stored()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var jwt = HipChatServer.SignJwt(installation, room);
        (await GlanceAsync(_client, jwt)).Should().Be(HttpStatusCode.OK);
        HipChat.RemoveInstallation(installation.OAuthId);

        await factory.SendAsync(installation, room, "sent after hipchat forgot it");
        await WaitForRevocationAsync(installation.OAuthId);

        (await GlanceAsync(_client, jwt)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_issuer_refused_while_unknown_is_accepted_as_soon_as_it_is_installed()
    {
        var room = Deliveries.NewRoom();
        var installation = HipChat.CreateInstallation(room);
        var jwt = HipChatServer.SignJwt(installation, room);
        (await GlanceAsync(_client, jwt)).Should().Be(HttpStatusCode.Unauthorized);

        (await _client.InstallAsync(installation)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await GlanceAsync(_client, jwt)).Should().Be(HttpStatusCode.OK);
    }

    private HipChatServer HipChat => factory.HipChat;

    /// <summary>The glance query: a read that changes nothing, answered 200 once its JWT is accepted.</summary>
    internal static async Task<HttpStatusCode> GlanceAsync(HttpClient client, string jwt)
    {
        using var response = await client.GetAsync($"{AddonClient.Glance}?signed_request={jwt}", Cancellation);
        return response.StatusCode;
    }

    /// <summary>Until HipChat's refusal of the installation's credentials has revoked it.</summary>
    private Task WaitForRevocationAsync(string oAuthId) => Polling.UntilAsync(() => IsRevokedAsync(oAuthId), true);

    private Task<bool> IsRevokedAsync(string oAuthId) =>
        factory.WithStoreAsync(async store => (await store.FindInstallationAsync(oAuthId, Cancellation))!.IsRevoked);
}

public sealed class PostgresInstallationDirectoryTests(AddonApiFactory<Postgres> factory)
    : InstallationDirectoryTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteInstallationDirectoryTests(AddonApiFactory<Sqlite> factory)
    : InstallationDirectoryTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;

/// <summary>What the JWT check costs the database, counted in the add-on's own log of the commands it runs.</summary>
public abstract class InstallationLookupTests(AddonApiFactory factory)
{
    [Fact]
    public async Task An_issuer_that_is_not_installed_is_looked_up_once_not_on_every_request()
    {
        using var client = factory.CreateAddonClient();
        var room = Deliveries.NewRoom();
        var stranger = factory.HipChat.CreateInstallation(room);
        var jwt = HipChatServer.SignJwt(stranger, room);


        // On PostgreSQL the add-on keeps nothing until it listens for changes, a moment after it started.
        await Polling.UntilAsync(
            async () =>
            {
                var before = InstallationQueries();
                (await InstallationDirectoryTests.GlanceAsync(client, jwt)).Should().Be(HttpStatusCode.Unauthorized);
                return InstallationQueries() == before;
            },
            true);
        var lookups = InstallationQueries();

        for (var i = 0; i < 5; i++)
        {
            (await InstallationDirectoryTests.GlanceAsync(client, jwt)).Should().Be(HttpStatusCode.Unauthorized);
        }

        InstallationQueries().Should().Be(lookups);
    }

    private int InstallationQueries() => factory.Logs.Entries.Count(e =>
        e.Contains(DbCommandLogging.Category, StringComparison.Ordinal) && e.Contains("installations", StringComparison.Ordinal));
}

/// <summary>The add-on with EF Core's log of executed commands on.</summary>
public sealed class DbCommandLogging<TDatabase> : AddonApiFactory<TDatabase>
    where TDatabase : ITestDatabase
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        [$"Logging:LogLevel:{DbCommandLogging.Category}"] = "Information",
    };
}

public static class DbCommandLogging
{
    public const string Category = "Microsoft.EntityFrameworkCore.Database.Command";
}

public sealed class PostgresInstallationLookupTests(DbCommandLogging<Postgres> factory)
    : InstallationLookupTests(factory), IClassFixture<DbCommandLogging<Postgres>>;

public sealed class SqliteInstallationLookupTests(DbCommandLogging<Sqlite> factory)
    : InstallationLookupTests(factory), IClassFixture<DbCommandLogging<Sqlite>>;

/// <summary>
/// Instances sharing one PostgreSQL database each keep installations in memory; a change made through one reaches the
/// others through PostgreSQL's notifications, which one connection per instance listens for.
/// </summary>
public sealed class PostgresInstallationNotificationTests : IAsyncLifetime
{
    private HipChatServer _hipChat = null!;
    private string _database = "";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _hipChat = await HipChatServer.StartAsync(cancellationToken: Cancellation);
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
    }

    public async ValueTask DisposeAsync()
    {
        await _hipChat.DisposeAsync();
        TestDatabase.Release(DatabaseProvider.Postgres, _database);
    }

    [Fact]
    public async Task Another_instance_stops_accepting_an_uninstalled_installations_jwts_without_a_restart()
    {
        await using var one = await StartInstanceAsync();
        await using var other = await StartInstanceAsync();
        using var oneClient = one.CreateAddonClient();
        using var otherClient = other.CreateAddonClient();
        var room = Deliveries.NewRoom();
        var installation = await one.InstallAsync(room);
        var jwt = HipChatServer.SignJwt(installation, room);
        await Polling.UntilAsync(() => InstallationDirectoryTests.GlanceAsync(otherClient, jwt), HttpStatusCode.OK);

        (await oneClient.UninstallAsync(_hipChat, installation.OAuthId)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        await Polling.UntilAsync(() => InstallationDirectoryTests.GlanceAsync(otherClient, jwt), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_lost_listening_connection_empties_the_cache_and_the_instance_listens_again()
    {
        await using var addon = await StartInstanceAsync();
        using var client = addon.CreateAddonClient();
        var room = Deliveries.NewRoom();
        var installation = await addon.InstallAsync(room);
        var jwt = HipChatServer.SignJwt(installation, room);
        await Polling.UntilAsync(() => InstallationDirectoryTests.GlanceAsync(client, jwt), HttpStatusCode.OK);

        await Polling.UntilAsync(TerminateListenerAsync, 1);
        await ExecuteAsync(
            "SET session_replication_role = replica; UPDATE installations SET revoked_at = now() WHERE o_auth_id = @id",
            installation.OAuthId);

        await Polling.UntilAsync(() => InstallationDirectoryTests.GlanceAsync(client, jwt), HttpStatusCode.Unauthorized);
        await Polling.UntilAsync(
            () => Task.FromResult(addon.Logs.Entries.Any(e => e.Contains("Listening for installation changes again", StringComparison.Ordinal))),
            true);
        var other = await addon.InstallAsync(room);
        var otherJwt = HipChatServer.SignJwt(other, room);
        (await InstallationDirectoryTests.GlanceAsync(client, otherJwt)).Should().Be(HttpStatusCode.OK);
        await ExecuteAsync("UPDATE installations SET revoked_at = now() WHERE o_auth_id = @id", other.OAuthId);
        await Polling.UntilAsync(() => InstallationDirectoryTests.GlanceAsync(client, otherJwt), HttpStatusCode.Unauthorized);
    }

    private Task<AddonApiFactory> StartInstanceAsync() =>
        AddonApiFactory.StartSharingAsync(DatabaseProvider.Postgres, _database, _hipChat);

    /// <summary>Ends the add-on's listening connection as a restarted server or a dropped network would; returns how many.</summary>
    private async Task<int> TerminateListenerAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity "
            + "WHERE application_name = @name AND datname = current_database()",
            connection);
        command.Parameters.AddWithValue("name", InstallationChangeListener.ApplicationName);
        return (int)(await command.ExecuteScalarAsync(Cancellation))!;
    }

    private async Task ExecuteAsync(string sql, string oAuthId)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", oAuthId);
        await command.ExecuteNonQueryAsync(Cancellation);
    }
}
