using Npgsql;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>A fresh PostgreSQL database in the throwaway cluster that <c>scripts/test.sh</c> starts.</summary>
public static class TestDatabase
{
    public const string ServerVariable = "CLEANADDON_TEST_POSTGRES";

    public static async Task<string> CreatePostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable)
            ?? throw new InvalidOperationException(
                $"{ServerVariable} is not set. Run the tests with scripts/test.sh, which starts PostgreSQL.");
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
