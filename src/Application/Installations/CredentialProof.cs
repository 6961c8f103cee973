using CleanAddon.Application.Abstractions;
using CleanAddon.Domain.Installations;

namespace CleanAddon.Application.Installations;

/// <summary>
/// The install callbacks are unauthenticated: only a token HipChat grants for an oauthId/secret pair proves the pair
/// is real. The token is kept, so the first delivery need not fetch another.
/// </summary>
internal static class CredentialProof
{
    public static async Task ProveAndKeepTokenAsync(
        IHipChatGateway hipChat,
        IAddonStore store,
        Uri tokenUrl,
        string oAuthId,
        string oAuthSecret,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var issued = await hipChat.RequestTokenAsync(tokenUrl, oAuthId, oAuthSecret, scopes: "", cancellationToken);
        var token = AccessToken.Issue(oAuthId, "", issued.Value, issued.Lifetime, now);
        var cached = await store.FindAccessTokenAsync(oAuthId, token.Scopes, cancellationToken);
        if (cached is null)
        {
            store.AddAccessToken(token);
        }
        else
        {
            cached.Renew(token);
        }
    }
}
