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
    private readonly bool _ownsHipChat = true;
    private readonly IReadOnlyDictionary<string, string> _instanceSettings = new Dictionary<string, string>();
    private string _connectionString = "";
    private string? _sqliteFile;

    public AddonApiFactory()
        : this(DatabaseProvider.Postgres)
    {
    }

    private AddonApiFactory(
        string postgresConnectionString, HipChatServer hipChat, IReadOnlyDictionary<string, string>? settings)
        : this(DatabaseProvider.Postgres)
    {
        _connectionString = postgresConnectionString;
        HipChat = hipChat;
        _ownsHipChat = false;
        _instanceSettings = settings ?? _instanceSettings;
    }

    protected AddonApiFactory(DatabaseProvider provider) => _provider = provider;

    public HipChatServer HipChat { get; private set; } = null!;

    /// <summary>The database this instance runs on; hand it to another instance to share it.</summary>
    public string ConnectionString => _connectionString;

    /// <summary>
    /// Starts one more add-on instance on an existing PostgreSQL database, talking to an existing HipChat; it owns
    /// neither, so several instances (or one after another) can share them.
    /// </summary>
    public static async Task<AddonApiFactory> StartSharingAsync(
        string postgresConnectionString, HipChatServer hipChat, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new AddonApiFactory(postgresConnectionString, hipChat, settings);
        await factory.InitializeAsync();
        return factory;
    }

    public CapturedLogs Logs { get; } = new();

    /// <summary>The add-on's Kestrel port; 0 picks a free one once it starts.</summary>
    protected virtual int Port => 0;

    /// <summary>Extra settings a test class needs, applied over the defaults below.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async ValueTask InitializeAsync()
    {
        if (_ownsHipChat)
        {
            HipChat = await HipChatServer.StartAsync();
        }

        if (_connectionString.Length == 0 && _provider == DatabaseProvider.Postgres)
        {
            _connectionString = await TestDatabase.CreatePostgresAsync();
        }
        else if (_connectionString.Length == 0)
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"addon-{Guid.NewGuid():N}.db");
            _connectionString = $"Data Source={_sqliteFile}";
        }

        UseKestrel(Port);
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
            ["DataProtection:CertificatePath"] = TestKeyEncryption.CertificatePath,
        };
        foreach (var (key, value) in Settings.Concat(_instanceSettings))
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
        if (_ownsHipChat)
        {
            await HipChat.DisposeAsync();
        }

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
