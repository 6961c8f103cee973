namespace CleanAddon.Application.Notifications;

/// <summary>HipChat's limits on the fields of what the add-on sends, as argument checks with messages naming the field.</summary>
internal static class WireRules
{
    public static string Text(string? value, int maxLength, string what, string paramName)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            throw new ArgumentException($"{what} has 1 to {maxLength} characters.", paramName);
        }

        return value;
    }

    public static Uri Url(Uri? url, string what, string paramName, int maxLength = int.MaxValue)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"{what} must be an absolute http(s) URL.", paramName);
        }

        if (url.OriginalString.Length > maxLength)
        {
            throw new ArgumentException($"{what} has at most {maxLength} characters.", paramName);
        }

        return url;
    }

    /// <summary>HipChat matches metadata in conditions (<c>card_matches</c>, <c>glance_matches</c>): scalars only.</summary>
    public static void MetadataEntry(string key, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (value is not (string or bool or int or long or double or decimal))
        {
            throw new ArgumentException($"Metadata '{key}' must be a string, a boolean or a number.", nameof(value));
        }
    }
}
