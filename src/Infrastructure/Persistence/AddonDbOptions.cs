using CleanAddon.Application.Extensibility;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// How every <see cref="AddonDbContext"/> of the host is configured: the requests' (all sets), and the one each
/// migration set is migrated with at start-up (its history table, its migrations assembly, its entities only).
/// </summary>
internal sealed class AddonDbOptions(DatabaseProvider provider, string connectionString, AddonModules modules)
{
    public DatabaseProvider Provider => provider;

    /// <summary>The store's connection string, a relative SQLite file resolved.</summary>
    public string ConnectionString => connectionString;

    /// <summary>The sets to migrate, in order: the framework's first, then each module that keeps state.</summary>
    public IEnumerable<string> Sets => [AddonModules.FrameworkSet, .. modules.StateModules.Keys];

    public void Configure(DbContextOptionsBuilder options, string? set)
    {
        var history = MigrationSets.HistoryTable(set);
        var assembly = set is null or AddonModules.FrameworkSet ? null : modules.StateModules[set]?.GetName().Name;
        if (provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable(history).MigrationsAssembly(assembly));
        }
        else
        {
            options.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(history).MigrationsAssembly(assembly));
        }

        options.ReplaceService<IModelCacheKeyFactory, AddonModelCacheKeyFactory>()
            .ReplaceService<IMigrationsAssembly, SetMigrationsAssembly>()
            .AddInterceptors(InstallationCommitInterceptor.Instance);
        if (set is not null)
        {
            options.ForSet(set);
        }
    }

    public DbContextOptions<TContext> For<TContext>(string set)
        where TContext : DbContext
    {
        var options = new DbContextOptionsBuilder<TContext>();
        Configure(options, set);
        return options.Options;
    }
}
