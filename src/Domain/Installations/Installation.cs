namespace CleanAddon.Domain.Installations;

/// <summary>One HipChat installation of the add-on: a room, or a whole group when <see cref="RoomId"/> is null.</summary>
public sealed class Installation
{
    public const int OAuthIdMaxLength = 64;
    public const int OAuthSecretMaxLength = 256;
    public const int UrlMaxLength = 2048;

    private Installation(
        string oAuthId,
        string oAuthSecret,
        long groupId,
        long? roomId,
        Uri capabilitiesUrl,
        Uri tokenUrl,
        Uri apiBaseUrl,
        DateTimeOffset installedAt,
        DateTimeOffset updatedAt)
    {
        OAuthId = oAuthId;
        OAuthSecret = oAuthSecret;
        GroupId = groupId;
        RoomId = roomId;
        CapabilitiesUrl = capabilitiesUrl;
        TokenUrl = tokenUrl;
        ApiBaseUrl = apiBaseUrl;
        InstalledAt = installedAt;
        UpdatedAt = updatedAt;
    }

    public string OAuthId { get; private set; }

    /// <summary>The OAuth client secret; also the HMAC key of every JWT HipChat signs for this installation.</summary>
    public string OAuthSecret { get; private set; }

    public long GroupId { get; private set; }

    public long? RoomId { get; private set; }

    public Uri CapabilitiesUrl { get; private set; }

    public Uri TokenUrl { get; private set; }

    /// <summary>HipChat's REST base URL, always ending with exactly one slash so relative paths append.</summary>
    public Uri ApiBaseUrl { get; private set; }

    public DateTimeOffset InstalledAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When HipChat's token endpoint refused the credentials: the installation was removed without telling us.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsGlobal => RoomId is null;

    /// <summary>
    /// Where this installation's HipChat serves its web client and all.js: www.hipchat.com for the cloud (whose API
    /// lives on api.hipchat.com), the capabilities document's own origin for HipChat Server.
    /// </summary>
    public Uri HipChatWebUrl => string.Equals(CapabilitiesUrl.Host, "api.hipchat.com", StringComparison.OrdinalIgnoreCase)
        ? new Uri("https://www.hipchat.com/")
        : new Uri(CapabilitiesUrl.GetLeftPart(UriPartial.Authority) + "/");

    public bool IsRevoked => RevokedAt is not null;

    public static Installation Create(
        string oAuthId,
        string oAuthSecret,
        long groupId,
        long? roomId,
        HipChatEndpoints endpoints,
        DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(oAuthId) || oAuthId.Length > OAuthIdMaxLength)
        {
            throw new DomainRuleException($"An OAuth id has 1 to {OAuthIdMaxLength} characters.");
        }

        if (string.IsNullOrEmpty(oAuthSecret) || oAuthSecret.Length > OAuthSecretMaxLength)
        {
            throw new DomainRuleException($"An OAuth secret has 1 to {OAuthSecretMaxLength} characters.");
        }

        if (roomId is <= 0)
        {
            throw new DomainRuleException("A room id is positive.");
        }

        return new Installation(
            oAuthId, oAuthSecret, groupId, roomId,
            endpoints.CapabilitiesUrl, endpoints.TokenUrl, endpoints.ApiBaseUrl, now, now);
    }

    /// <summary>
    /// True when <paramref name="url"/> lies on the origin (scheme, host, port) of the capabilities URL that created
    /// this installation: the only HipChat that may re-install, update or uninstall it.
    /// </summary>
    public bool IsFrom(Uri url) =>
        url.IsAbsoluteUri
        && string.Equals(url.Scheme, CapabilitiesUrl.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.IdnHost, CapabilitiesUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == CapabilitiesUrl.Port;

    /// <summary>Refuses a callback about this installation that comes from another HipChat than the one that made it.</summary>
    public void EnsureFrom(Uri url)
    {
        if (!IsFrom(url))
        {
            throw new DomainRuleException("The installation belongs to another HipChat, which alone may change it.");
        }
    }

    /// <summary>
    /// Refuses, before anything is asked of HipChat, an update callback that would move the installation: it names
    /// only an oauthId, so it may refresh endpoints but never change the room, or turn a room installation into a
    /// global one or back.
    /// </summary>
    public void EnsureUpdatable(long? roomId, Uri capabilitiesUrl)
    {
        EnsureFrom(capabilitiesUrl);
        if (roomId != RoomId)
        {
            throw new DomainRuleException(
                "An update keeps the installation's room and kind (room or global); re-install the add-on to change them.");
        }
    }

    /// <summary>
    /// Takes the endpoints of an update callback whose capabilities document was read from this installation's
    /// HipChat. The token URL may not move: the stored secret is only ever sent to the one it was proven at.
    /// </summary>
    public void Refresh(long? roomId, HipChatEndpoints endpoints, DateTimeOffset now)
    {
        EnsureUpdatable(roomId, endpoints.CapabilitiesUrl);
        if (endpoints.TokenUrl != TokenUrl)
        {
            throw new DomainRuleException(
                "HipChat now names another token URL, where the stored secret is never sent; re-install the add-on.");
        }

        CapabilitiesUrl = endpoints.CapabilitiesUrl;
        ApiBaseUrl = endpoints.ApiBaseUrl;
        UpdatedAt = now;
        RevokedAt = null;
    }

    /// <summary>
    /// Takes the credentials and endpoints of a re-install by the installation's own HipChat. Callers must have
    /// proven the new secret against HipChat's token endpoint first: the install callback is unauthenticated.
    /// </summary>
    public void Reinstall(string oAuthSecret, long groupId, long? roomId, HipChatEndpoints endpoints, DateTimeOffset now)
    {
        EnsureFrom(endpoints.CapabilitiesUrl);
        var replacement = Create(OAuthId, oAuthSecret, groupId, roomId, endpoints, now);
        OAuthSecret = replacement.OAuthSecret;
        GroupId = replacement.GroupId;
        RoomId = replacement.RoomId;
        CapabilitiesUrl = replacement.CapabilitiesUrl;
        TokenUrl = replacement.TokenUrl;
        ApiBaseUrl = replacement.ApiBaseUrl;
        UpdatedAt = now;
        RevokedAt = null;
    }

    /// <summary>
    /// HipChat no longer honours the credentials, so nothing can be sent for this installation any more. Returns
    /// false when it was revoked already.
    /// </summary>
    public bool Revoke(DateTimeOffset now)
    {
        if (IsRevoked)
        {
            return false;
        }

        RevokedAt = now;
        UpdatedAt = now;
        return true;
    }

    /// <summary>A room installation acts in its own room only; a global one in every room of its group.</summary>
    public bool Covers(long roomId) => RoomId is null || RoomId == roomId;
}
