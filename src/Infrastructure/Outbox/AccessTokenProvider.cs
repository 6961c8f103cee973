using System.Collections.Concurrent;
using CleanAddon.Application.Abstractions;
using CleanAddon.Domain.Installations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanAddon.Infrastructure.Outbox;

/// <summary>
/// Client-credentials tokens per installation, stored encrypted so a restart does not refetch them, renewed a
/// minute before they expire, and fetched once however many deliveries ask at the same moment.
/// </summary>
internal sealed partial class AccessTokenProvider(
    IServiceScopeFactory scopes, IHipChatGateway hipChat, TimeProvider clock, ILogger<AccessTokenProvider> logger)
{
    private const string DefaultScopes = "";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>A usable token; <paramref name="rejected"/> is a token HipChat just refused, which is never returned.</summary>
    public async Task<string> GetAsync(Installation installation, string? rejected, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(installation.OAuthId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IAddonStore>();
            var stored = await store.FindAccessTokenAsync(installation.OAuthId, DefaultScopes, cancellationToken);
            var now = clock.GetUtcNow();
            if (stored is not null && stored.IsUsableAt(now) && stored.Value != rejected)
            {
                return stored.Value;
            }

            var issued = await hipChat.RequestTokenAsync(
                installation.TokenUrl, installation.OAuthId, installation.OAuthSecret, DefaultScopes, cancellationToken);
            var fresh = AccessToken.Issue(installation.OAuthId, DefaultScopes, issued.Value, issued.Lifetime, now);
            if (stored is null)
            {
                store.AddAccessToken(fresh);
            }
            else
            {
                stored.Renew(fresh);
            }

            await SaveAsync(store, cancellationToken);
            LogTokenFetched(installation.OAuthId, issued.Lifetime);
            return fresh.Value;
        }
        finally
        {
            gate.Release();
        }
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
}
