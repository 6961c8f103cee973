using CleanAddon.Domain.Installations;

namespace CleanAddon.Application.Abstractions;

/// <summary>
/// Synchronous calls to a HipChat server, made only to hosts on the configured allow-list.
/// Failures surface as <see cref="HipChatRejectedException"/> (HipChat said no, or said something unusable) or
/// <see cref="HipChatUnavailableException"/> (unreachable, timed out, 5xx).
/// </summary>
public interface IHipChatGateway
{
    /// <summary>Reads a capabilities document and checks that it names itself with the URL it was read from.</summary>
    Task<HipChatEndpoints> GetCapabilitiesAsync(Uri capabilitiesUrl, CancellationToken cancellationToken);

    /// <summary>
    /// A client-credentials grant; doubles as the proof that an install callback's credentials are real. Throws
    /// <see cref="HipChatCredentialsRefusedException"/> when the token endpoint refuses the OAuth client itself.
    /// </summary>
    Task<IssuedToken> RequestTokenAsync(
        Uri tokenUrl, string oAuthId, string oAuthSecret, string scopes, CancellationToken cancellationToken);

    /// <summary>The oauthId behind an uninstall's installable URL, or null when HipChat no longer knows it.</summary>
    Task<string?> GetInstalledOAuthIdAsync(Uri installableUrl, CancellationToken cancellationToken);
}

public sealed record IssuedToken(string Value, TimeSpan Lifetime)
{
    public override string ToString() => $"{nameof(IssuedToken)} {{ Lifetime = {Lifetime} }}";
}
