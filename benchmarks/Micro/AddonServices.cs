using CleanAddon.Api;
using CleanAddon.Application;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Domain.Installations;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Micro;

/// <summary>
/// The add-on's services exactly as Program.cs composes them (no HTTP), over a fresh SQLite database holding one
/// room installation: in memory (what is measured is CPU, not the disk), or in a file as the add-on runs.
/// </summary>
internal sealed class AddonServices : IAsyncDisposable
{
    public const long RoomId = 1001;

    private readonly ServiceProvider _provider;
    private readonly SqliteConnection? _keepAlive;
    private readonly string? _file;

    private AddonServices(ServiceProvider provider, EmulatedInstallation installation, SqliteConnection? keepAlive, string? file)
    {
        _provider = provider;
        Installation = installation;
        _keepAlive = keepAlive;
        _file = file;
    }

    public EmulatedInstallation Installation { get; }

    public IServiceProvider Services => _provider;

    public static async Task<AddonServices> StartAsync(bool inMemory)
    {
        string? file = null;
        SqliteConnection? keepAlive = null;
        string connectionString;
        if (inMemory)
        {
            // A shared in-memory database lives as long as one connection to it is open.
            connectionString = $"Data Source=micro-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
            keepAlive = new SqliteConnection(connectionString);
            await keepAlive.OpenAsync();
        }
        else
        {
            file = Path.Combine(Path.GetTempPath(), $"micro-{Guid.NewGuid():N}.db");
            connectionString = $"Data Source={file}";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Addon"] = connectionString,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddApplication().AddInfrastructure(configuration).AddApi(configuration).AddAddonModule<BenchmarkAddon>();
        var provider = services.BuildServiceProvider();
        await provider.InitializeDatabaseAsync(CancellationToken.None);

        var installation = new EmulatedInstallation(
            Guid.NewGuid().ToString(), "micro-benchmark-secret-0123456789abcdef", new Uri("https://api.hipchat.com/v2/capabilities"),
            1, RoomId);
        await using (var scope = provider.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IAddonStore>();
            store.AddInstallation(ToInstallation(installation));
            await store.SaveChangesAsync(CancellationToken.None);
        }

        return new AddonServices(provider, installation, keepAlive, file);
    }

    public static Installation ToInstallation(EmulatedInstallation installation) =>
        Domain.Installations.Installation.Create(
            installation.OAuthId, installation.OAuthSecret, installation.GroupId, installation.RoomId,
            new HipChatEndpoints(
                installation.CapabilitiesUrl,
                new Uri("https://api.hipchat.com/v2/oauth/token"),
                new Uri("https://api.hipchat.com/v2/")),
            DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        if (_keepAlive is not null)
        {
            await _keepAlive.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (_file is not null)
        {
            foreach (var path in Directory.GetFiles(Path.GetDirectoryName(_file)!, Path.GetFileName(_file) + "*"))
            {
                File.Delete(path);
            }
        }
    }
}
