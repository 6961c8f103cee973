using System.Net;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CleanAddon.IntegrationTests.Operability;

/// <summary>Health as an orchestrator sees it, with the database gone from under the add-on.</summary>
public abstract class HealthTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readiness_is_a_503_problem_while_the_database_is_down_and_liveness_stays_up()
    {
        (await _client.GetAsync("/health/ready", Cancellation)).StatusCode.Should().Be(HttpStatusCode.OK);
        await TakeTheDatabaseDownAsync();

        var ready = await _client.GetAsync("/health/ready", Cancellation);
        var live = await _client.GetAsync("/health/live", Cancellation);

        var problem = await ready.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "unhealthy");
        problem["detail"]!.GetValue<string>().Should().Be("database");
        live.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>
    /// PostgreSQL: the database is dropped, its sessions ended. SQLite: the file is deleted and a directory takes its
    /// place, so that it cannot be created again either.
    /// </summary>
    private async Task TakeTheDatabaseDownAsync()
    {
        if (factory.Provider == DatabaseProvider.Postgres)
        {
            var name = new NpgsqlConnectionStringBuilder(factory.ConnectionString).Database;
            await using var server = new NpgsqlConnection(await PostgresServer.ConnectionStringAsync());
            await server.OpenAsync(Cancellation);
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", server);
            await drop.ExecuteNonQueryAsync(Cancellation);
            return;
        }

        using (var connection = new SqliteConnection(factory.ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        var file = TestDatabase.SqliteFile(factory.ConnectionString);
        foreach (var path in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
        {
            File.Delete(path);
        }

        Directory.CreateDirectory(file);
    }
}

public sealed class PostgresHealthTests(AddonApiFactory<Postgres> factory)
    : HealthTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteHealthTests(AddonApiFactory<Sqlite> factory)
    : HealthTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
