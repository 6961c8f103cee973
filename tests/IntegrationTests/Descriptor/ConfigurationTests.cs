using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace CleanAddon.IntegrationTests.Descriptor;

/// <summary>The runtime contract's configuration, as an operator sets it: appsettings &lt; environment &lt; command line.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly List<string> _sqliteDatabases = [];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var connectionString in _sqliteDatabases)
        {
            TestDatabase.Release(DatabaseProvider.Sqlite, connectionString);
        }
    }

    [Fact]
    public async Task Environment_variables_override_appsettings_and_the_command_line_overrides_both()
    {
        var database = NewSqliteDatabase();
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>
            {
                ["Addon__Key"] = "from-environment",
                ["Addon__BaseUrl"] = "https://environment.example.com",
                ["ConnectionStrings__Addon"] = database,
            },
            ["--Addon:BaseUrl=https://command-line.example.com"]);

        (await addon.WaitUntilReadyAsync(TimeSpan.FromSeconds(60))).Should().BeTrue(addon.Output);
        using var http = new HttpClient { BaseAddress = addon.Address };
        var descriptor = await http.GetFromJsonAsync<JsonObject>("/capabilities.json", Cancellation);

        descriptor!["key"]!.GetValue<string>().Should().Be("from-environment");
        descriptor["links"]!["self"]!.GetValue<string>().Should().Be("https://command-line.example.com/capabilities.json");
        File.Exists(TestDatabase.SqliteFile(database)).Should().BeTrue("the connection string came from the environment");
    }

    [Fact]
    public async Task The_postgres_provider_is_chosen_case_insensitively_and_migrates_an_empty_database_to_the_model()
    {
        var connectionString = await TestDatabase.CreatePostgresAsync();
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>
            {
                ["Database__Provider"] = "postgres",
                ["ConnectionStrings__Addon"] = connectionString,
            },
            []);

        (await addon.WaitUntilReadyAsync(TimeSpan.FromSeconds(60))).Should().BeTrue(addon.Output);
        var schema = await ReadSchemaAsync(new NpgsqlConnection(connectionString), """
            SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'
            """);
        var applied = await ReadSchemaAsync(new NpgsqlConnection(connectionString), """
            SELECT "MigrationId" FROM "__EFMigrationsHistory"
            """);

        await using var model = new PostgresDesignTimeFactory().CreateDbContext([]);
        schema.Should().BeEquivalentTo(ColumnsOf(model));
        applied.Should().Equal(model.Database.GetMigrations());
    }

    [Fact]
    public async Task The_sqlite_store_is_the_default_and_migrates_a_new_file_to_the_model()
    {
        var connectionString = NewSqliteDatabase();
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string> { ["ConnectionStrings__Addon"] = connectionString }, []);

        (await addon.WaitUntilReadyAsync(TimeSpan.FromSeconds(60))).Should().BeTrue(addon.Output);
        var schema = await ReadSchemaAsync(new SqliteConnection(connectionString), """
            SELECT m.name || '.' || c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
            """);
        var applied = await ReadSchemaAsync(new SqliteConnection(connectionString), """
            SELECT "MigrationId" FROM "__EFMigrationsHistory"
            """);

        await using var model = new SqliteDesignTimeFactory().CreateDbContext([]);
        schema.Should().BeEquivalentTo(
            ColumnsOf(model).Concat(["__EFMigrationsLock.Id", "__EFMigrationsLock.Timestamp"]),
            "SQLite migrations also keep a lock table");
        applied.Should().Equal(model.Database.GetMigrations());
    }

    [Theory]
    [InlineData("--Addon:BaseUrl=not-a-url", "Addon:BaseUrl")]
    [InlineData("--Addon:BaseUrl=https://addon.example.com/", "Addon:BaseUrl")]
    [InlineData("--Addon:Key=has spaces", "Addon:Key")]
    [InlineData("--Database:Provider=Oracle", "Database:Provider")]
    [InlineData("--HipChat:AllowedHosts:0=", "HipChat:AllowedHosts")]
    [InlineData("--HipChat:AllowedHosts:1=https://not a host/", "HipChat:AllowedHosts")]
    [InlineData("--Outbox:MaxAttempts=0", "MaxAttempts")]
    [InlineData("--HipChat:TrustedCertificates:hipchat.example.com=/nonexistent/ca.pem", "HipChat:TrustedCertificates")]
    [InlineData("--Outbox:LeaseDuration=00:00:30", "Outbox:LeaseDuration")]
    [InlineData("--DataProtection:CertificatePath=/etc/hostname/data-protection.pfx", "DataProtection:CertificatePath")]
    [InlineData("--Intake:WebhooksPerMinute=0", "WebhooksPerMinute")]
    [InlineData("--ForwardedHeaders:KnownProxies:0=nginx", "ForwardedHeaders:KnownProxies")]
    [InlineData("--ForwardedHeaders:KnownNetworks:0=10.0.0.0/33", "ForwardedHeaders:KnownNetworks")]
    public async Task A_bad_setting_stops_the_add_on_at_start_up_with_a_message_naming_it(string argument, string named)
    {
        await using var addon = AddonProcess.Start(new Dictionary<string, string>(), [argument]);

        var exitCode = await addon.WaitForExitAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().NotBe(0);
        var error = addon.Output.Split('\n').Where(line => line.StartsWith("CleanAddon cannot start:", StringComparison.Ordinal));
        error.Should().ContainSingle().Which.Should().Contain(named);
        addon.Output.Should().NotContain("   at ", "an operator reads one line, not a stack trace");
    }

    private string NewSqliteDatabase()
    {
        var connectionString = TestDatabase.CreateSqlite();
        _sqliteDatabases.Add(connectionString);
        return connectionString;
    }

    /// <summary>Every table.column the provider's model maps, and the migrations history table.</summary>
    private static IEnumerable<string> ColumnsOf(DbContext model) =>
        model.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables
            .SelectMany(table => table.Columns.Select(column => $"{table.Name}.{column.Name}"))
            .Concat(["__EFMigrationsHistory.MigrationId", "__EFMigrationsHistory.ProductVersion"]);

    private static async Task<List<string>> ReadSchemaAsync(DbConnection connection, string sql)
    {
        await using (connection)
        {
            await connection.OpenAsync(Cancellation);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(Cancellation);
            var rows = new List<string>();
            while (await reader.ReadAsync(Cancellation))
            {
                rows.Add(reader.GetString(0));
            }

            return rows;
        }
    }
}
