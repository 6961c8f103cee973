namespace CleanAddon.Domain.Installations;

/// <summary>A client-credentials access token of one installation for one set of scopes.</summary>
public sealed class AccessToken
{
    public const int ScopesMaxLength = 512;

    /// <summary>HipChat's own tutorial renews a minute early so a token never expires in flight.</summary>
    public static readonly TimeSpan RenewalMargin = TimeSpan.FromSeconds(60);

    private AccessToken(string oAuthId, string scopes, string value, DateTimeOffset expiresAt)
    {
        OAuthId = oAuthId;
        Scopes = scopes;
        Value = value;
        ExpiresAt = expiresAt;
    }

    public string OAuthId { get; private set; }

    /// <summary>Space-separated scopes as sent in the token request; the empty string means the descriptor's.</summary>
    public string Scopes { get; private set; }

    public string Value { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public static AccessToken Issue(string oAuthId, string scopes, string value, TimeSpan lifetime, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new DomainRuleException("HipChat issued an empty access token.");
        }

        if (lifetime <= RenewalMargin)
        {
            throw new DomainRuleException($"An access token living {lifetime} would be renewed before it is used.");
        }

        return new AccessToken(oAuthId, scopes, value, now + lifetime);
    }

    public bool IsUsableAt(DateTimeOffset now) => now < ExpiresAt - RenewalMargin;

    /// <summary>HipChat refused the token before it expired (revoked early): it must not be used again.</summary>
    public void Invalidate(DateTimeOffset now)
    {
        if (ExpiresAt > now)
        {
            ExpiresAt = now;
        }
    }

    public void Renew(AccessToken fresh)
    {
        Value = fresh.Value;
        ExpiresAt = fresh.ExpiresAt;
    }
}
