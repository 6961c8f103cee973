namespace CleanAddon.Domain.Installations;

/// <summary>Where one HipChat (cloud or Server) lives, as its capabilities document says.</summary>
public sealed record HipChatEndpoints
{
    public HipChatEndpoints(Uri capabilitiesUrl, Uri tokenUrl, Uri apiBaseUrl)
    {
        CapabilitiesUrl = RequireAbsolute(capabilitiesUrl, "capabilities URL");
        TokenUrl = RequireAbsolute(tokenUrl, "token URL");
        ApiBaseUrl = RequireAbsolute(WithOneTrailingSlash(apiBaseUrl), "API URL");
    }

    public Uri CapabilitiesUrl { get; }

    public Uri TokenUrl { get; }

    public Uri ApiBaseUrl { get; }

    private static Uri RequireAbsolute(Uri url, string what)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new DomainRuleException($"The HipChat {what} must be an absolute http(s) URL.");
        }

        if (url.OriginalString.Length > Installation.UrlMaxLength)
        {
            throw new DomainRuleException($"The HipChat {what} is longer than {Installation.UrlMaxLength} characters.");
        }

        return url;
    }

    // HipChat documents the API URL with a trailing slash ("…/v2/"); some servers omit it or double it.
    private static Uri WithOneTrailingSlash(Uri url) =>
        !url.IsAbsoluteUri || (url.AbsolutePath.EndsWith('/') && !url.AbsolutePath.EndsWith("//", StringComparison.Ordinal))
            ? url
            : new UriBuilder(url) { Path = url.AbsolutePath.TrimEnd('/') + "/" }.Uri;
}

