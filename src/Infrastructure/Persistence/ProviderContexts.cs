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
