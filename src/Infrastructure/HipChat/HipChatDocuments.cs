using System.Text.Json.Serialization;
using CleanAddon.Application.Glances;

namespace CleanAddon.Infrastructure.HipChat;

internal sealed record CapabilitiesDocument(CapabilitiesLinks? Links, HipChatCapabilities? Capabilities);

internal sealed record CapabilitiesLinks(string? Self);

internal sealed record HipChatCapabilities(
    [property: JsonPropertyName("oauth2Provider")] OAuth2Provider? OAuth2Provider,
    [property: JsonPropertyName("hipchatApiProvider")] HipChatApiProvider? HipChatApiProvider);

internal sealed record OAuth2Provider([property: JsonPropertyName("tokenUrl")] string? TokenUrl);

internal sealed record HipChatApiProvider(string? Url);

internal sealed record TokenResponse(string? AccessToken, long ExpiresIn, string? Scope)
{
    public override string ToString() => $"{nameof(TokenResponse)} {{ ExpiresIn = {ExpiresIn}, Scope = {Scope} }}";
}

internal sealed record InstallableDocument([property: JsonPropertyName("oauthId")] string? OAuthId);

internal sealed record GlanceUpdate(IReadOnlyList<GlanceUpdateItem> Glance);

internal sealed record GlanceUpdateItem(string Key, GlanceContent Content);

/// <summary>A room as <c>GET room/{id}</c> describes it (the fields the add-on reads).</summary>
internal sealed record HipChatRoom(
    long Id,
    string Name,
    string? Topic,
    string? Privacy,
    bool IsArchived,
    bool IsGuestAccessible,
    string? XmppJid);
