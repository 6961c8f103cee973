using BenchmarkDotNet.Attributes;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.DeadLetters;
using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Queues;
using CleanAddon.Domain.Webhooks;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Micro;

/// <summary>
/// One HipChat JWT validated (HS256 signature, issuer, expiry, issue time, room): against an installation already in
/// memory, and as a request does it, in a fresh scope whose store reads and decrypts the installation from SQLite.
/// </summary>
[MemoryDiagnoser]
public class JwtValidationBenchmarks
{
    private AddonServices _addon = null!;
    private HipChatJwtValidator _inMemory = null!;
    private string _token = "";

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _addon = await AddonServices.StartAsync(inMemory: true);
        _inMemory = new HipChatJwtValidator(
            new OneInstallationStore(AddonServices.ToInstallation(_addon.Installation)), TimeProvider.System);
        _token = HipChatServer.SignJwt(_addon.Installation, AddonServices.RoomId, lifetime: TimeSpan.FromHours(2));
    }

    [GlobalCleanup]
    public ValueTask CleanUpAsync() => _addon.DisposeAsync();

    [Benchmark(Baseline = true)]
    public Task<JwtValidation> InstallationInMemory() => _inMemory.ValidateAsync(_token, CancellationToken.None);

    [Benchmark]
    public async Task<JwtValidation> InstallationFromSqlite()
    {
        await using var scope = _addon.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HipChatJwtValidator>()
            .ValidateAsync(_token, CancellationToken.None);
    }

    /// <summary>The one read JWT validation makes; nothing else is called.</summary>
    private sealed class OneInstallationStore(Installation installation) : IAddonStore
    {
        public Task<Installation?> FindInstallationAsync(string oAuthId, CancellationToken cancellationToken) =>
            Task.FromResult(oAuthId == installation.OAuthId ? installation : null);

        public void AddInstallation(Installation installation) => throw new NotSupportedException();

        public Task<bool> RemoveInstallationAsync(string oAuthId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<AccessToken?> FindAccessTokenAsync(string oAuthId, string scopes, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public void AddAccessToken(AccessToken token) => throw new NotSupportedException();

        public Task<bool> WasReceivedAsync(
            string oAuthId, long webhookId, string eventName, string messageId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public void AddReceivedWebhook(ReceivedWebhook webhook) => throw new NotSupportedException();

        public Task<IReadOnlyList<QueuedItem>> ListDeadLettersAsync(
            string? oAuthId, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<QueuedItem?> FindDeadLetterAsync(DeadLetterKind queue, long id, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<int> PurgeDeadLettersAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<int> PurgeReceivedWebhooksAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<int> AbandonWaitingAsync(
            string oAuthId, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public void DiscardChanges() => throw new NotSupportedException();

        public Task SaveChangesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
