using CleanAddon.Application.Abstractions;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>
/// The real add-on on a real Kestrel socket, talking to a HipChat emulator that is a real HTTP server on
/// loopback, over a real database: PostgreSQL by default, SQLite where a suite also runs on it.
/// </summary>
public class AddonApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly DatabaseProvider _provider;
    private string _connectionString = "";
    private string? _sqliteFile;

    public AddonApiFactory()
        : this(DatabaseProvider.Postgres)
    {
    }

    protected AddonApiFactory(DatabaseProvider provider) => _provider = provider;

    public HipChatServer HipChat { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    /// <summary>Extra settings a test class needs, applied over the defaults below.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async ValueTask InitializeAsync()
    {
        HipChat = await HipChatServer.StartAsync();
        if (_provider == DatabaseProvider.Postgres)
        {
            _connectionString = await TestDatabase.CreatePostgresAsync();
        }
        else
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"addon-{Guid.NewGuid():N}.db");
            _connectionString = $"Data Source={_sqliteFile}";
        }

        UseKestrel(0);
        StartServer();
    }

    /// <summary>An HTTP client for the add-on that does not follow redirects, so tests see them.</summary>
    public HttpClient CreateAddonClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = ServerAddress };

    /// <summary>Where the add-on's Kestrel listens.</summary>
    public Uri ServerAddress => new(Services.GetRequiredService<IServer>().Features
        .Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Runs <paramref name="action"/> against the add-on's own store, in a scope of its own.</summary>
    public async Task<T> WithStoreAsync<T>(Func<IAddonStore, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<IAddonStore>());
    }

    internal async Task<T> WithDbAsync<T>(Func<AddonDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AddonDbContext>());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = _provider.ToString(),
            ["ConnectionStrings:Addon"] = _connectionString,
            ["HipChat:AllowedHosts:0"] = HipChat.Host,
            ["HipChat:AllowedHosts:1"] = "www.hipchat.com",
            ["HipChat:RequestTimeout"] = "00:00:03",
            ["Outbox:PollInterval"] = "00:00:00.100",
            ["Outbox:FirstRetryDelay"] = "00:00:00.050",
            ["Outbox:MaxRetryDelay"] = "00:00:00.500",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // What ships: Production, and every log entry captured so tests can look for leaks.
        builder.UseEnvironment("Production");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await HipChat.DisposeAsync();
        if (_sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_sqliteFile)!, Path.GetFileName(_sqliteFile) + "*"))
            {
                File.Delete(file);
            }
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The same add-on on the embedded SQLite store, for suites that must hold on both providers.</summary>
public sealed class SqliteAddonApiFactory() : AddonApiFactory(DatabaseProvider.Sqlite);
