using System.Net;
using CleanAddon.Application.Abstractions;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>
/// The real add-on on a real Kestrel socket, talking to a HipChat emulator that is a real HTTP server on
/// loopback, over a fresh database of its own on <see cref="Provider"/>. Test classes take this type; their
/// fixtures are <see cref="AddonApiFactory{TDatabase}"/> (or a subclass), one concrete test class per provider.
/// </summary>
public abstract class AddonApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly bool _ownsHipChat = true;
    private readonly bool _ownsDatabase = true;
    private readonly IReadOnlyDictionary<string, string> _instanceSettings = new Dictionary<string, string>();
    private string _connectionString = "";

    protected AddonApiFactory(DatabaseProvider provider) => Provider = provider;

    private AddonApiFactory(
        DatabaseProvider provider, string connectionString, HipChatServer hipChat,
        IReadOnlyDictionary<string, string>? settings)
        : this(provider)
    {
        _connectionString = connectionString;
        HipChat = hipChat;
        _ownsHipChat = false;
        _ownsDatabase = false;
        _instanceSettings = settings ?? _instanceSettings;
    }

    public DatabaseProvider Provider { get; }

    public HipChatServer HipChat { get; private set; } = null!;

    /// <summary>The database this instance runs on; hand it to another instance to share it.</summary>
    public string ConnectionString => _connectionString;

    public CapturedLogs Logs { get; } = new();

    /// <summary>Where the add-on's Kestrel listens.</summary>
    public virtual Uri ServerAddress => new(Services.GetRequiredService<IServer>().Features
        .Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Extra settings a test class needs, applied over the defaults below.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>
    /// Starts one more add-on instance on an existing database, talking to an existing HipChat; it owns neither, so
    /// several instances (or one after another) can share them.
    /// </summary>
    public static async Task<AddonApiFactory> StartSharingAsync(
        DatabaseProvider provider, string connectionString, HipChatServer hipChat,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new SharingAddonApiFactory(provider, connectionString, hipChat, settings);
        await factory.InitializeAsync();
        return factory;
    }

    public async ValueTask InitializeAsync()
    {
        if (_ownsHipChat)
        {
            HipChat = await HipChatServer.StartAsync();
        }

        if (_ownsDatabase)
        {
            _connectionString = await TestDatabase.CreateAsync(Provider);
        }

        UseKestrel(Listen);
        StartServer();
    }

    /// <summary>An HTTP client for the add-on that does not follow redirects, so tests see them.</summary>
    public HttpClient CreateAddonClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = ServerAddress };

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

    /// <summary>Where Kestrel listens: a port the operating system picks on loopback, unless a fixture says otherwise.</summary>
    protected virtual void Listen(KestrelServerOptions kestrel) => kestrel.Listen(IPAddress.Loopback, 0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = Provider.ToString(),
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

        if (_ownsDatabase)
        {
            TestDatabase.Release(Provider, _connectionString);
        }

        GC.SuppressFinalize(this);
    }

    private sealed class SharingAddonApiFactory(
        DatabaseProvider provider, string connectionString, HipChatServer hipChat,
        IReadOnlyDictionary<string, string>? settings)
        : AddonApiFactory(provider, connectionString, hipChat, settings);
}

/// <summary>
/// The add-on on the database <typeparamref name="TDatabase"/> names: the class fixture of one concrete test class.
/// Subclass it (keeping the type parameter) for a fixture with settings or services of its own.
/// </summary>
public class AddonApiFactory<TDatabase>() : AddonApiFactory(TDatabase.Provider)
    where TDatabase : ITestDatabase;

/// <summary>A database provider as a type, so that one fixture type per provider can be written once.</summary>
public interface ITestDatabase
{
    static abstract DatabaseProvider Provider { get; }
}

/// <summary>A fresh database in the tests' PostgreSQL server (<see cref="PostgresServer"/>).</summary>
public sealed class Postgres : ITestDatabase
{
    public static DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>A fresh SQLite file under the temporary directory: the store a new user runs on.</summary>
public sealed class Sqlite : ITestDatabase
{
    public static DatabaseProvider Provider => DatabaseProvider.Sqlite;
}
