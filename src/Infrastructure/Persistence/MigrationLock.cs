using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// Instances starting together on one PostgreSQL database migrate in turn. EF Core's own migration lock lasts one
/// migration's transaction, so two instances could each apply the later migrations of a set; this session lock is
/// held around every set's migrations and released when its connection closes, even if the instance dies.
/// </summary>
internal static class MigrationLock
{
    public static async Task<IAsyncDisposable?> TakeAsync(
        AddonDbContext db, AddonDbOptions options, CancellationToken cancellationToken)
    {
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return null;
        }

        await EnsureDatabaseAsync(db.GetService<IRelationalDatabaseCreator>(), cancellationToken);

        var connection = new NpgsqlConnection(options.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT pg_advisory_lock(hashtext('cleanaddon:migrations'), 0)", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The lock lives in the database, so the database comes first: created here if missing, as Migrate would.</summary>
    private static async Task EnsureDatabaseAsync(IRelationalDatabaseCreator database, CancellationToken cancellationToken)
    {
        if (await database.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await database.CreateAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another instance starting at the same time created it first.
        }
    }
}
