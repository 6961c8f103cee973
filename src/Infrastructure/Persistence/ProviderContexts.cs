using CleanAddon.Application.Extensibility;
using CleanAddon.Infrastructure.Queues;
using CleanAddon.Infrastructure.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace CleanAddon.Infrastructure.Persistence;

internal sealed class SqliteAddonDbContext(
    DbContextOptions<SqliteAddonDbContext> options,
    SecretProtector secrets,
    QueueSignals signals,
    AddonModules modules,
    InstallationDirectory installations,
    SqliteWriteGate writes)
    : AddonDbContext(options, secrets, signals, modules, installations)
{
    internal override Task<T> WriteAsync<T>(
        Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        writes.RunAsync(write, cancellationToken);

    /// <summary>
    /// Committed with <c>synchronous=NORMAL</c>: in WAL mode the commit is written but not flushed, and the next durable
    /// commit (a webhook accepted, a unit of work, a completion) flushes the log with it. A webhook's way through the
    /// add-on is five commits on SQLite's single writer, two of them claims: under load this is about a third fewer
    /// disk flushes per webhook.
    /// </summary>
    internal override Task<T> WriteLeaseAsync<T>(
        Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        writes.RunAsync(
            // SQLite refuses to change the level inside a transaction: such a write commits with the one around it.
            token => Database.CurrentTransaction is null ? WriteUnflushedAsync(write, token) : write(token),
            cancellationToken);

    private async Task<T> WriteUnflushedAsync<T>(Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)Database.GetDbConnection();
        try
        {
            Synchronous(connection, "NORMAL");
            return await write(cancellationToken);
        }
        finally
        {
            RestoreDurableCommits(connection);
            await Database.CloseConnectionAsync();
        }
    }

    private static void RestoreDurableCommits(SqliteConnection connection)
    {
        try
        {
            Synchronous(connection, "FULL");
        }
        catch (SqliteException)
        {
            // A pooled connection left at NORMAL would commit the next durable write unflushed: it is never reused.
            SqliteConnection.ClearPool(connection);
            throw;
        }
    }

    private static void Synchronous(SqliteConnection connection, string level)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous = {level}";
        pragma.ExecuteNonQuery();
    }

    // SQLite cannot order or compare DateTimeOffset; Unix milliseconds keep both exact for UTC values.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();

    protected override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19 };
}

internal sealed class PostgresAddonDbContext(
    DbContextOptions<PostgresAddonDbContext> options,
    SecretProtector secrets,
    QueueSignals signals,
    AddonModules modules,
    InstallationDirectory installations)
    : AddonDbContext(options, secrets, signals, modules, installations)
{
    protected override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}

/// <summary>
/// The cached model is keyed by what shapes it besides the context type: the protector (each host protects secrets
/// with its own key ring), the declared modules (each host has its own) and the migration set.
/// </summary>
internal sealed class AddonModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime)
    {
        var addon = (AddonDbContext)context;
        return (context.GetType(), addon.Secrets, addon.Modules, addon.MigrationSet, designTime);
    }
}
