using BenchmarkDotNet.Attributes;
using CleanAddon.Application.Abstractions;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Micro;

/// <summary>
/// One HipChat JWT validated (HS256 signature, issuer, expiry, issue time, room): against an installation already in
/// memory; as a request does it, through the add-on's installation directory; and as a directory miss (what every
/// request paid before the directory), in a fresh scope whose store reads and decrypts the installation from SQLite.
/// </summary>
[MemoryDiagnoser]
public class JwtValidationBenchmarks
{
    private AddonServices _addon = null!;
    private HipChatJwtValidator _inMemory = null!;
    private HipChatJwtValidator _fromDirectory = null!;
    private HipChatJwtValidator _fromSqlite = null!;
    private string _token = "";

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _addon = await AddonServices.StartAsync(inMemory: true);
        var snapshot = InstallationSnapshot.Of(AddonServices.ToInstallation(_addon.Installation));
        _inMemory = new HipChatJwtValidator(new OneInstallation(snapshot), TimeProvider.System);
        _fromDirectory = _addon.Services.GetRequiredService<HipChatJwtValidator>();
        _fromSqlite = new HipChatJwtValidator(new StoreReadEveryTime(_addon.Services), TimeProvider.System);
        _token = HipChatServer.SignJwt(_addon.Installation, AddonServices.RoomId, lifetime: TimeSpan.FromHours(2));
    }

    [GlobalCleanup]
    public ValueTask CleanUpAsync() => _addon.DisposeAsync();

    [Benchmark(Baseline = true)]
    public Task<JwtValidation> InstallationInMemory() => _inMemory.ValidateAsync(_token, remember: false, CancellationToken.None);

    [Benchmark]
    public Task<JwtValidation> InstallationFromDirectory() => _fromDirectory.ValidateAsync(_token, remember: false, CancellationToken.None);

    /// <summary>A token a HipChat client sends again (glances, views): verified once, then remembered.</summary>
    [Benchmark]
    public Task<JwtValidation> RememberedToken() => _fromDirectory.ValidateAsync(_token, remember: true, CancellationToken.None);

    [Benchmark]
    public Task<JwtValidation> InstallationFromSqlite() => _fromSqlite.ValidateAsync(_token, remember: false, CancellationToken.None);

    private sealed class OneInstallation(InstallationSnapshot installation) : IInstallationDirectory
    {
        public ValueTask<InstallationSnapshot?> FindAsync(string oAuthId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(oAuthId == installation.OAuthId ? installation : null);
    }

    /// <summary>A new scope, the store's read and the secret's decryption on every call.</summary>
    private sealed class StoreReadEveryTime(IServiceProvider services) : IInstallationDirectory
    {
        public async ValueTask<InstallationSnapshot?> FindAsync(string oAuthId, CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            var installation = await scope.ServiceProvider.GetRequiredService<IAddonStore>()
                .FindInstallationAsync(oAuthId, cancellationToken);
            return installation is null ? null : InstallationSnapshot.Of(installation);
        }
    }
}
