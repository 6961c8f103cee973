using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Security;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CleanAddon.IntegrationTests.Security;

/// <summary>
/// The Data Protection key ring lives in the database, encrypted with a certificate that does not: someone holding a
/// copy of the database (a <c>pg_dump</c>, a copy of <c>addon.db</c>) holds ciphertext and encrypted keys, nothing
/// that opens them.
/// </summary>
public abstract class KeyRingTests(AddonApiFactory factory)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_database_copy_alone_decrypts_no_secret_and_the_same_certificate_reads_it_after_a_restart()
    {
        var installation = await factory.InstallAsync(15);
        await factory.SendAsync(installation, 15, "token please");
        var accessToken = (await factory.HipChat.WaitForDeliveryAsync(15, "echo token please"))[0].Authorization!["Bearer ".Length..];

        var (copy, contents) = await CopyDatabaseAsync(factory.ConnectionString);

        try
        {
            contents.Should().NotContain(installation.OAuthSecret).And.NotContain(accessToken);
            contents.Should().Contain("EncryptedData", "the key ring is stored encrypted").And.NotContain("<masterKey");
            var attacker = Directory.CreateTempSubdirectory("cleanaddon-attacker-");
            try
            {
                await using var withoutCertificate = await AddonApiFactory.StartSharingAsync(
                    factory.Provider, copy, factory.HipChat, new Dictionary<string, string>
                    {
                        ["DataProtection:CertificatePath"] = Path.Combine(attacker.FullName, "other.pfx"),
                    });
                var reveal = async () => await UnprotectStoredSecretAsync(withoutCertificate, installation.OAuthId);
                await reveal.Should().ThrowAsync<CryptographicException>();
            }
            finally
            {
                attacker.Delete(recursive: true);
            }

            await using var restarted = await AddonApiFactory.StartSharingAsync(factory.Provider, copy, factory.HipChat);
            (await UnprotectStoredSecretAsync(restarted, installation.OAuthId)).Should().Be(installation.OAuthSecret);
            using var client = restarted.CreateAddonClient();
            (await client.SendRoomMessageAsync(installation, 15, "after restart")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }
        finally
        {
            TestDatabase.Release(factory.Provider, copy);
        }
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task With_no_configuration_the_certificate_is_created_in_the_users_data_folder_for_the_owner_only()
    {
        var dataHome = Directory.CreateTempSubdirectory("cleanaddon-home-");
        var database = await TestDatabase.CreateAsync(factory.Provider);
        try
        {
            await using var addon = AddonProcess.Start(
                new Dictionary<string, string>(TestDatabase.Environment(factory.Provider, database))
                {
                    ["XDG_DATA_HOME"] = dataHome.FullName,
                },
                []);

            (await addon.WaitUntilReadyAsync(TimeSpan.FromSeconds(60))).Should().BeTrue(addon.Output);

            var certificate = Path.Combine(dataHome.FullName, "CleanAddon", "data-protection.pfx");
            File.GetUnixFileMode(certificate).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(Path.GetDirectoryName(certificate)!)
                .Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            addon.Output.Should().Contain(certificate).And.NotContain("unencrypted form");
        }
        finally
        {
            dataHome.Delete(recursive: true);
            TestDatabase.Release(factory.Provider, database);
        }
    }

    /// <summary>A copy of the add-on's database as a backup holds it, and everything in it as text.</summary>
    protected abstract Task<(string ConnectionString, string Contents)> CopyDatabaseAsync(string connectionString);

    /// <summary>Reads the stored ciphertext of the installation's secret and opens it with that instance's key ring.</summary>
    private static async Task<string> UnprotectStoredSecretAsync(AddonApiFactory instance, string oAuthId)
    {
        var ciphertext = await instance.WithDbAsync(db => db.Database
            .SqlQuery<string>($"SELECT o_auth_secret AS \"Value\" FROM installations WHERE o_auth_id = {oAuthId}")
            .SingleAsync(Cancellation));
        return instance.Services.GetRequiredService<SecretProtector>().Protector.Unprotect(ciphertext);
    }
}

public sealed class PostgresKeyRingTests(AddonApiFactory<Postgres> factory)
    : KeyRingTests(factory), IClassFixture<AddonApiFactory<Postgres>>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary><c>pg_dump</c>, restored with <c>psql</c> into a fresh database: the dump is the text.</summary>
    protected override async Task<(string ConnectionString, string Contents)> CopyDatabaseAsync(string connectionString)
    {
        var dump = await PostgresTools.DumpAsync(connectionString);
        return (await PostgresTools.RestoreAsync(dump), dump);
    }

    /// <summary>PostgreSQL's own dump and restore, as an operator (or a thief) runs them.</summary>
    private static class PostgresTools
    {
        public static async Task<string> DumpAsync(string connectionString)
        {
            var file = Path.GetTempFileName();
            try
            {
                await RunAsync("pg_dump", connectionString, "--no-owner", "--no-privileges", "-f", file);
                return await File.ReadAllTextAsync(file, Cancellation);
            }
            finally
            {
                File.Delete(file);
            }
        }

        /// <summary>Restores a dump into a fresh database; returns its connection string.</summary>
        public static async Task<string> RestoreAsync(string dump)
        {
            var connectionString = await TestDatabase.CreatePostgresAsync();
            var file = Path.GetTempFileName();
            try
            {
                await File.WriteAllTextAsync(file, dump, Cancellation);
                await RunAsync("psql", connectionString, "-q", "-v", "ON_ERROR_STOP=1", "-f", file);
                return connectionString;
            }
            finally
            {
                File.Delete(file);
            }
        }

        private static async Task RunAsync(string tool, string connectionString, params string[] arguments)
        {
            var database = new NpgsqlConnectionStringBuilder(connectionString);
            var info = new ProcessStartInfo(PostgresServer.Program(tool));
            foreach (var argument in (string[])["-h", database.Host!, "-p", database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-U", database.Username!, "-d", database.Database!, .. arguments])
            {
                info.ArgumentList.Add(argument);
            }

            var result = await AddonProcess.RunToEndAsync(info, Deliveries.Timeout);
            result.ExitCode.Should().Be(0, result.Error);
        }
    }
}

public sealed class SqliteKeyRingTests(AddonApiFactory<Sqlite> factory)
    : KeyRingTests(factory), IClassFixture<AddonApiFactory<Sqlite>>
{
    /// <summary><c>addon.db</c> copied with SQLite's online backup, as <c>sqlite3 .backup</c> does; every value in it is the text.</summary>
    protected override async Task<(string ConnectionString, string Contents)> CopyDatabaseAsync(string connectionString)
    {
        var copy = TestDatabase.CreateSqlite();
        await using (var source = new SqliteConnection(connectionString))
        await using (var destination = new SqliteConnection(copy))
        {
            await source.OpenAsync(TestContext.Current.CancellationToken);
            await destination.OpenAsync(TestContext.Current.CancellationToken);
            source.BackupDatabase(destination);
        }

        return (copy, await TestDatabase.DumpAsync(DatabaseProvider.Sqlite, copy));
    }
}
