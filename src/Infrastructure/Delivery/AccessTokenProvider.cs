using System.Collections.Concurrent;
using CleanAddon.Application.Abstractions;
using CleanAddon.Domain.Installations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using CleanAddon.Infrastructure.Telemetry;

namespace CleanAddon.Infrastructure.Delivery;

/// <summary>
/// Client-credentials tokens per installation and scope set: kept in memory, stored encrypted so a restart or
/// another instance does not refetch them, renewed a minute before they expire, and fetched once however many
/// deliveries ask at the same moment.
/// </summary>
internal sealed partial class AccessTokenProvider(
    IServiceScopeFactory scopeFactory,
    IHipChatGateway hipChat,
    TimeProvider clock,
    ILogger<AccessTokenProvider> logger)
{
    /// <summary>No scope parameter: HipChat grants the scopes the descriptor declares.</summary>
    public const string DescriptorScopes = "";

    // Keyed by the token URL too: a token is only ever used with the HipChat that issued it.
    private readonly ConcurrentDictionary<(string OAuthId, Uri TokenUrl, string Scopes), Slot> _slots = new();

    /// <summary>
    /// A usable token. <paramref name="rejected"/> is a token HipChat just refused: it is invalidated, here and in
    /// the store, and never returned again.
    /// </summary>
    public async Task<string> GetAsync(
        InstallationSnapshot installation, string scopes, string? rejected, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd((installation.OAuthId, installation.Endpoints.TokenUrl, scopes), _ => new Slot());
        if (slot.Usable(clock.GetUtcNow(), rejected) is { } cached)
        {
            return cached;
        }

        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            // Whoever held the gate before may have fetched a fresh token meanwhile.
            if (slot.Usable(clock.GetUtcNow(), rejected) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            if (slot.RefusedFor == (installation.OAuthSecret, installation.UpdatedAt))
            {
                throw new HipChatCredentialsRefusedException(
                    "HipChat's token endpoint refused these credentials already.");
            }

            return await RenewAsync(slot, installation, scopes, rejected, cancellationToken);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async Task<string> RenewAsync(
        Slot slot, InstallationSnapshot installation, string scopes, string? rejected, CancellationToken cancellationToken)
    {
        if (rejected is not null && slot.Current?.Value == rejected)
        {
            slot.Current = null;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IAddonStore>();
        var stored = await store.FindAccessTokenAsync(installation.OAuthId, scopes, cancellationToken);
        var now = clock.GetUtcNow();
        if (stored is not null && stored.Value != rejected && stored.IsUsableAt(now))
        {
            slot.Current = new CachedToken(stored.Value, stored.ExpiresAt);
            return stored.Value;
        }

        if (rejected is not null && stored?.Value == rejected)
        {
            // Saved before asking HipChat, so that a failed request cannot bring the refused token back.
            stored.Invalidate(now);
            await SaveAsync(store, cancellationToken);
        }

        IssuedToken issued;
        try
        {
            issued = await hipChat.RequestTokenAsync(
                installation.Endpoints.TokenUrl, installation.OAuthId, installation.OAuthSecret, scopes, cancellationToken);
        }
        catch (HipChatCredentialsRefusedException)
        {
            slot.RefusedFor = (installation.OAuthSecret, installation.UpdatedAt);
            throw;
        }

        var fresh = AccessToken.Issue(installation.OAuthId, scopes, issued.Value, issued.Lifetime, clock.GetUtcNow());
        if (stored is null)
        {
            store.AddAccessToken(fresh);
        }
        else
        {
            stored.Renew(fresh);
        }

        await SaveAsync(store, cancellationToken);
        slot.Current = new CachedToken(fresh.Value, fresh.ExpiresAt);
        AddonTelemetry.TokenFetched();
        LogTokenFetched(installation.OAuthId, issued.Lifetime);
        return fresh.Value;
    }

    private static async Task SaveAsync(IAddonStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.SaveChangesAsync(cancellationToken);
        }
        catch (DuplicateException)
        {
            // Another instance stored a token meanwhile; ours is just as valid for this delivery.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched an access token for installation {OAuthId}, valid {Lifetime}")]
    private partial void LogTokenFetched(string oAuthId, TimeSpan lifetime);

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt);

    private sealed class Slot
    {
        private volatile CachedToken? _current;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Read without the gate by the fast path, hence an immutable record behind a volatile field.</summary>
        public CachedToken? Current
        {
            get => _current;
            set => _current = value;
        }

        /// <summary>
        /// The installation, as it was, whose credentials the token endpoint refused (read and written under the
        /// gate); the endpoint is asked again only once the installation changes.
        /// </summary>
        public (string Secret, DateTimeOffset UpdatedAt)? RefusedFor { get; set; }

        public string? Usable(DateTimeOffset now, string? rejected) =>
            Current is { } current && current.Value != rejected && now < current.ExpiresAt - AccessToken.RenewalMargin
                ? current.Value
                : null;
    }
}
