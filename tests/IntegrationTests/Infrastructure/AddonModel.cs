using CleanAddon.Application;
using CleanAddon.Infrastructure;
using CleanAddon.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>
/// The add-on's EF Core model as a host builds it — the framework's services plus the modules <c>modules</c>
/// registers — without starting a host: what the tests compare a migrated database with, and what the EF Core tools
/// generate a test module's migrations from (<see cref="TestAddon.TestAddonDesignTime"/>).
/// </summary>
internal sealed class AddonModel : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;

    private AddonModel(ServiceProvider services)
    {
        _services = services;
        _scope = services.CreateAsyncScope();
        Context = _scope.ServiceProvider.GetRequiredService<AddonDbContext>();
    }

    public AddonDbContext Context { get; }

    /// <summary>
    /// The model on <paramref name="provider"/>; with <paramref name="set"/>, only that migration set's (its entities,
    /// its migrations, its history table), as the add-on migrates it.
    /// </summary>
    public static AddonModel Create(
        DatabaseProvider provider, string? set, Action<IServiceCollection> modules, string? connectionString = null) =>
        Create(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:MigrationSet"] = set,
            ["ConnectionStrings:Addon"] = connectionString
                ?? (provider == DatabaseProvider.Postgres ? "Host=localhost" : "Data Source=model.db"),
            ["DataProtection:CertificatePath"] = TestKeyEncryption.CertificatePath,
        }).Build(), modules);

    /// <summary>The model as <paramref name="configuration"/> (the EF Core tools' arguments) describes it.</summary>
    public static AddonModel Create(IConfiguration configuration, Action<IServiceCollection> modules)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddApplication().AddInfrastructure(configuration);
        modules(services);
        return new AddonModel(services.BuildServiceProvider());
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
    }
}
