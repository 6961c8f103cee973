using System.Text.Json.Serialization;

namespace CleanAddon.Application.Notifications;

/// <summary>An image HipChat shows beside a card, an activity or a glance, with an optional high-density variant.</summary>
public sealed record Icon
{
    public Icon(Uri url, Uri? url2x = null)
    {
        Url = WireRules.Url(url, "An icon URL", nameof(url));
        Url2x = url2x is null ? null : WireRules.Url(url2x, "An icon url@2x", nameof(url2x));
    }

    [JsonPropertyName("url")]
    public Uri Url { get; }

    [JsonPropertyName("url@2x")]
    public Uri? Url2x { get; }
}
