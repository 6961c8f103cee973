using System.Data.Common;
using System.Globalization;
using System.Text;
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

    /// <summary>The connection string of a database that does not exist yet: the add-on creates it.</summary>
    public static async Task<string> NotYetCreatedAsync(DatabaseProvider provider) =>
        provider == DatabaseProvider.Postgres
            ? new NpgsqlConnectionStringBuilder(await PostgresServer.ConnectionStringAsync())
            {
                Database = "addon_" + Guid.NewGuid().ToString("N"),
                Pooling = true,
            }.ConnectionString
            : CreateSqlite();

    /// <summary>A new SQLite file under the temporary directory (created by the add-on on first use).</summary>
    public static string CreateSqlite() =>
        $"Data Source={Path.Combine(Path.GetTempPath(), $"addon-{Guid.NewGuid():N}.db")}";

    /// <summary>The SQLite file a connection string names.</summary>
    public static string SqliteFile(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    /// <summary>The settings that put a built add-on (<see cref="AddonProcess"/>) on this database, as environment variables.</summary>
    public static Dictionary<string, string> Environment(DatabaseProvider provider, string connectionString) => new()
    {
        ["Database__Provider"] = provider.ToString(),
        ["ConnectionStrings__Addon"] = connectionString,
    };

    /// <summary>
    /// Every value of every table, as a dump or a backup would hold it; bytes also as base64 and hex, so a secret kept
    /// in any of these forms shows.
    /// </summary>
    public static async Task<string> DumpAsync(DatabaseProvider provider, string connectionString)
    {
        await using DbConnection connection = provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var tables = await ReadAsync(connection, provider == DatabaseProvider.Postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            : "SELECT name FROM sqlite_master WHERE type = 'table'");
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            dump.AppendJoin('\n', await ReadAsync(connection, $"SELECT * FROM \"{table}\""));
        }

        return dump.ToString();
    }

    /// <summary>The values a query on the database answers, row after row (all columns of a row in turn).</summary>
    public static async Task<List<string>> QueryAsync(DatabaseProvider provider, string connectionString, string sql)
    {
        await using DbConnection connection = provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return await ReadAsync(connection, sql);
    }

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

    private static async Task<List<string>> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values.Add(reader.GetValue(i) switch
                {
                    byte[] bytes => $"{Encoding.UTF8.GetString(bytes)} {Convert.ToBase64String(bytes)} {Convert.ToHexString(bytes)}",
                    var value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
                });
            }
        }

        return values;
    }
}
