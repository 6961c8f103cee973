namespace CleanAddon.Application.Notifications;

/// <summary>
/// Builds a <see cref="Card"/>; every value is checked against HipChat's limits as it is given, so an
/// <see cref="ArgumentException"/> names the offending field at the call that set it.
/// </summary>
public sealed class CardBuilder
{
    private readonly CardStyle _style;
    private readonly string _title;
    private readonly List<CardAttributeItem> _attributes = [];
    private readonly Dictionary<string, object> _metadata = new(StringComparer.Ordinal);
    private string _id = Guid.NewGuid().ToString();
    private Uri? _url;
    private CardDescription? _description;
    private CardFormat? _format;
    private Icon? _icon;
    private CardThumbnail? _thumbnail;
    private CardActivity? _activity;

    public CardBuilder(CardStyle style, string title)
    {
        if (!Enum.IsDefined(style))
        {
            throw new ArgumentException($"'{style}' is not a card style.", nameof(style));
        }

        _style = style;
        _title = WireRules.Text(title, Card.TitleMaxLength, "A card title", nameof(title));
    }

    /// <summary>The card's id; a new UUID unless given, as every HipChat sample sends one.</summary>
    public CardBuilder WithId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        _id = id;
        return this;
    }

    public CardBuilder WithUrl(Uri url)
    {
        _url = WireRules.Url(url, "A card URL", nameof(url));
        return this;
    }

    public CardBuilder WithDescription(string value, MessageFormat format = MessageFormat.Text)
    {
        _description = new CardDescription(value, format);
        return this;
    }

    public CardBuilder WithFormat(CardFormat format)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentException($"'{format}' is not a card format.", nameof(format));
        }

        _format = format;
        return this;
    }

    public CardBuilder WithIcon(Uri url, Uri? url2x = null)
    {
        _icon = new Icon(url, url2x);
        return this;
    }

    public CardBuilder WithThumbnail(Uri url, Uri? url2x = null, int? width = null, int? height = null)
    {
        _thumbnail = new CardThumbnail(url, url2x, width, height);
        return this;
    }

    public CardBuilder WithActivity(string html, Icon? icon = null)
    {
        _activity = new CardActivity(html, icon);
        return this;
    }

    public CardBuilder AddAttribute(
        string label, string value, Uri? url = null, CardAttributeStyle? style = null, Icon? icon = null)
    {
        _attributes.Add(new CardAttributeItem(label, new CardAttributeValue(value, url, style, icon)));
        return this;
    }

    public CardBuilder WithMetadata(string key, object value)
    {
        WireRules.MetadataEntry(key, value);
        _metadata[key] = value;
        return this;
    }

    public Card Build() => new(
        _style, _id, _title, _url, _description, _format, _icon, _thumbnail, _activity,
        _attributes.Count == 0 ? null : [.. _attributes],
        _metadata.Count == 0 ? null : new Dictionary<string, object>(_metadata, StringComparer.Ordinal));
}
