using CleanAddon.Infrastructure.Outbox;
using CleanAddon.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CleanAddon.Infrastructure.Persistence;

internal sealed class SqliteAddonDbContext(
    DbContextOptions<SqliteAddonDbContext> options,
    SecretProtector secrets,
    OutboxSignal outboxSignal,
    InstallationDirectory installations,
    SqliteWriteGate writes)
    : AddonDbContext(options, secrets, outboxSignal, installations)
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
    OutboxSignal outboxSignal,
    InstallationDirectory installations)
    : AddonDbContext(options, secrets, outboxSignal, installations)
{
    protected override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}

/// <summary>Each host protects secrets with its own key ring, so the cached model is keyed by protector too.</summary>
internal sealed class ProtectorAwareModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), ((AddonDbContext)context).Secrets, designTime);
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAddonDbContext>
{
    public SqliteAddonDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAddonDbContext>().UseSqlite("Data Source=design.db").Options,
            new SecretProtector(new EphemeralDataProtectionProvider()), new OutboxSignal(), DesignTime.Installations,
            new SqliteWriteGate());
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAddonDbContext>
{
    public PostgresAddonDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAddonDbContext>().UseNpgsql("Host=localhost").Options,
            new SecretProtector(new EphemeralDataProtectionProvider()), new OutboxSignal(), DesignTime.Installations);
}

internal static class DesignTime
{
    /// <summary>The migration tools read no installation; a directory over no services will do.</summary>
    public static InstallationDirectory Installations =>
        new(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>());
}
