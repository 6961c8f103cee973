using CleanAddon.Application.Extensibility;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;

// The migration sets' own scaffolding (each set's snapshot named for it), as the Api host references it.
[assembly: DesignTimeServicesReference(
    "CleanAddon.Infrastructure.Persistence.AddonDesignTimeServices, CleanAddon.Infrastructure")]

namespace CleanAddon.IntegrationTests.TestAddon;

/// <summary>
/// Test-only: how the EF Core tools build the add-on's context with the test module when this project is their
/// startup project (<c>bash scripts/add-migration.sh test-addon &lt;Name&gt; tests/IntegrationTests
/// tests/IntegrationTests</c>). The script's arguments (<c>--Database:Provider</c>, <c>--Database:MigrationSet</c>,
/// <c>--ConnectionStrings:Addon</c>) choose the provider and the set, as they do for the Api host.
/// </summary>
internal static class TestAddonDesignTime
{
    public static AddonDbContext Create(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DataProtection:CertificatePath"] = TestKeyEncryption.CertificatePath,
            })
            .AddCommandLine(args)
            .Build();

        // The tool process ends once the migration is written; the model's services go with it.
        return AddonModel.Create(configuration, services => services.AddAddonModule<TestAddonModule>()).Context;
    }
}

internal sealed class SqliteTestAddonDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAddonDbContext>
{
    public SqliteAddonDbContext CreateDbContext(string[] args) => (SqliteAddonDbContext)TestAddonDesignTime.Create(args);
}

internal sealed class PostgresTestAddonDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAddonDbContext>
{
    public PostgresAddonDbContext CreateDbContext(string[] args) => (PostgresAddonDbContext)TestAddonDesignTime.Create(args);
}
