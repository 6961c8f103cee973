using Npgsql;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// Instances starting together on one PostgreSQL database migrate in turn. EF Core's own migration lock lasts one
/// migration's transaction, so two instances could each apply the later migrations of a set; this session lock is
/// held around every set's migrations and released when its connection closes, even if the instance dies.
/// </summary>
internal static class MigrationLock
{
    public static async Task<IAsyncDisposable?> TakeAsync(AddonDbOptions options, CancellationToken cancellationToken)
    {
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return null;
        }

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
}
