using Npgsql;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>A fresh PostgreSQL database on the tests' server (<see cref="PostgresServer"/>).</summary>
public static class TestDatabase
{
    public static async Task<string> CreatePostgresAsync()
    {
        var server = await PostgresServer.ConnectionStringAsync();
        var name = "addon_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
    }
}
