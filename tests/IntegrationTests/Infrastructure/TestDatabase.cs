using CleanAddon.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>Fresh, empty databases for the add-on under test, on either provider.</summary>
public static class TestDatabase
{
    /// <summary>The connection string of a new database nothing else uses.</summary>
    public static Task<string> CreateAsync(DatabaseProvider provider) =>
        provider == DatabaseProvider.Postgres ? CreatePostgresAsync() : Task.FromResult(CreateSqlite());

    /// <summary>A new database on the tests' PostgreSQL server (<see cref="PostgresServer"/>).</summary>
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

    /// <summary>A new SQLite file under the temporary directory (created by the add-on on first use).</summary>
    public static string CreateSqlite() =>
        $"Data Source={Path.Combine(Path.GetTempPath(), $"addon-{Guid.NewGuid():N}.db")}";

    /// <summary>The SQLite file a connection string names.</summary>
    public static string SqliteFile(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    /// <summary>
    /// Lets go of a database once its add-on stopped: closes the pooled connections, so a run does not pile up idle
    /// PostgreSQL sessions, and deletes a SQLite file with its journal files (or whatever took its place).
    /// </summary>
    public static void Release(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
            return;
        }

        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        var file = SqliteFile(connectionString);
        foreach (var path in Directory.GetFileSystemEntries(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
    }
}
