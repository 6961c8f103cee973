using System.Text.Json.Serialization;

namespace CleanAddon.Application.Notifications;

/// <summary>
/// A card (spec 7.2): rich content HipChat renders instead of the notification's message, which stays the fallback
/// for card-unaware clients. Built and checked against HipChat's limits by <see cref="CardBuilder"/>.
/// </summary>
public sealed record Card
{
    public const int TitleMaxLength = 500;

    internal Card(
        CardStyle style,
        string id,
        string title,
        Uri? url,
        CardDescription? description,
        CardFormat? format,
        Icon? icon,
        CardThumbnail? thumbnail,
        CardActivity? activity,
        IReadOnlyList<CardAttributeItem>? attributes,
        IReadOnlyDictionary<string, object>? metadata)
    {
        Style = style;
        Id = id;
        Title = title;
        Url = url;
        Description = description;
        Format = format;
        Icon = icon;
        Thumbnail = thumbnail;
        Activity = activity;
        Attributes = attributes;
        Metadata = metadata;
    }

    [JsonPropertyName("style")]
    public CardStyle Style { get; }

    /// <summary>Lets HipChat recognise the same card sent again.</summary>
    [JsonPropertyName("id")]
    public string Id { get; }

    [JsonPropertyName("title")]
    public string Title { get; }

    [JsonPropertyName("url")]
    public Uri? Url { get; }

    [JsonPropertyName("description")]
    public CardDescription? Description { get; }

    [JsonPropertyName("format")]
    public CardFormat? Format { get; }

    [JsonPropertyName("icon")]
    public Icon? Icon { get; }

    [JsonPropertyName("thumbnail")]
    public CardThumbnail? Thumbnail { get; }

    [JsonPropertyName("activity")]
    public CardActivity? Activity { get; }

    [JsonPropertyName("attributes")]
    public IReadOnlyList<CardAttributeItem>? Attributes { get; }

    /// <summary>Not rendered; matched by <c>card_matches</c> action conditions.</summary>
    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, object>? Metadata { get; }
}

public enum CardStyle
{
    [JsonStringEnumMemberName("file")]
    File,

    [JsonStringEnumMemberName("image")]
    Image,

    [JsonStringEnumMemberName("application")]
    Application,

    [JsonStringEnumMemberName("link")]
    Link,

    [JsonStringEnumMemberName("media")]
    Media,
}

/// <summary>How many lines an application card takes: compact 1–2, medium 1–5.</summary>
public enum CardFormat
{
    [JsonStringEnumMemberName("compact")]
    Compact,

    [JsonStringEnumMemberName("medium")]
    Medium,
}

/// <summary>The card's body text; always sent in HipChat's object form, which names its format.</summary>
public sealed record CardDescription
{
    public const int ValueMaxLength = 1000;

    public CardDescription(string value, MessageFormat format = MessageFormat.Text)
    {
        Value = WireRules.Text(value, ValueMaxLength, "A card description", nameof(value));
        Format = format;
    }

    [JsonPropertyName("value")]
    public string Value { get; }

    [JsonPropertyName("format")]
    public MessageFormat Format { get; }
}

public sealed record CardThumbnail
{
    public const int UrlMaxLength = 250;

    public CardThumbnail(Uri url, Uri? url2x = null, int? width = null, int? height = null)
    {
        Url = WireRules.Url(url, "A thumbnail URL", nameof(url), UrlMaxLength);
        Url2x = url2x is null ? null : WireRules.Url(url2x, "A thumbnail url@2x", nameof(url2x), UrlMaxLength);
        if (width is <= 0 || height is <= 0)
        {
            throw new ArgumentException(
                "A thumbnail's width and height are positive.", width is <= 0 ? nameof(width) : nameof(height));
        }

        Width = width;
        Height = height;
    }

    [JsonPropertyName("url")]
    public Uri Url { get; }

    [JsonPropertyName("url@2x")]
    public Uri? Url2x { get; }

    [JsonPropertyName("width")]
    public int? Width { get; }

    [JsonPropertyName("height")]
    public int? Height { get; }
}

/// <summary>The one-line summary HipChat shows in the chat stream; HTML limited to a, b, i, strong and span.</summary>
public sealed record CardActivity
{
    public CardActivity(string html, Icon? icon = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(html);
        Html = html;
        Icon = icon;
    }

    [JsonPropertyName("html")]
    public string Html { get; }

    [JsonPropertyName("icon")]
    public Icon? Icon { get; }
}

/// <summary>A name/value row of a card.</summary>
public sealed record CardAttributeItem
{
    public const int LabelMaxLength = 50;

    public CardAttributeItem(string label, CardAttributeValue value)
    {
        Label = WireRules.Text(label, LabelMaxLength, "A card attribute label", nameof(label));
        Value = value ?? throw new ArgumentNullException(nameof(value));
    }

    [JsonPropertyName("label")]
    public string Label { get; }

    [JsonPropertyName("value")]
    public CardAttributeValue Value { get; }
}

public sealed record CardAttributeValue
{
    public CardAttributeValue(string label, Uri? url = null, CardAttributeStyle? style = null, Icon? icon = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        Label = label;
        Url = url is null ? null : WireRules.Url(url, "A card attribute URL", nameof(url));
        Style = style;
        Icon = icon;
    }

    [JsonPropertyName("label")]
    public string Label { get; }

    [JsonPropertyName("url")]
    public Uri? Url { get; }

    [JsonPropertyName("style")]
    public CardAttributeStyle? Style { get; }

    [JsonPropertyName("icon")]
    public Icon? Icon { get; }
}

/// <summary>The AUI lozenge an attribute value is drawn in.</summary>
public enum CardAttributeStyle
{
    [JsonStringEnumMemberName("lozenge")]
    Lozenge,

    [JsonStringEnumMemberName("lozenge-success")]
    LozengeSuccess,

    [JsonStringEnumMemberName("lozenge-error")]
    LozengeError,

    [JsonStringEnumMemberName("lozenge-current")]
    LozengeCurrent,

    [JsonStringEnumMemberName("lozenge-complete")]
    LozengeComplete,

    [JsonStringEnumMemberName("lozenge-moved")]
    LozengeMoved,
}
