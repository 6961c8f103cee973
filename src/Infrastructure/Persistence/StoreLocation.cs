using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>Where the add-on keeps its data, whatever the working directory, and how to tell an operator.</summary>
public static class StoreLocation
{
    /// <summary>The provider and its file or database, never a credential.</summary>
    public static string DescribeStore(this IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var database = scope.ServiceProvider.GetRequiredService<AddonDbContext>().Database;
        var connectionString = database.GetConnectionString() ?? "";
        if (database.IsNpgsql())
        {
            var postgres = new NpgsqlConnectionStringBuilder(connectionString);
            return $"Postgres database {postgres.Database ?? postgres.Username} on {postgres.Host}:{postgres.Port}";
        }

        return $"Sqlite file {new SqliteConnectionStringBuilder(connectionString).DataSource}";
    }

    /// <summary>A relative SQLite file lives in <paramref name="contentRoot"/>, wherever the add-on started.</summary>
    internal static string ResolveSqlite(string connectionString, string? contentRoot)
    {
        var sqlite = new SqliteConnectionStringBuilder(connectionString);
        var file = sqlite.DataSource;
        if (contentRoot is null || sqlite.Mode == SqliteOpenMode.Memory || file.Length == 0 || file == ":memory:"
            || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || Path.IsPathRooted(file))
        {
            return connectionString;
        }

        sqlite.DataSource = Path.GetFullPath(file, contentRoot);
        return sqlite.ToString();
    }
}
