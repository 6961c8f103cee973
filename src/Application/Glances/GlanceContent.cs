using System.Net;
using System.Text.Json.Serialization;
using CleanAddon.Application.Notifications;

namespace CleanAddon.Application.Glances;

/// <summary>
/// What a glance shows (spec 8.1): the query answer and the <c>content</c> of a glance update. Build one with
/// <see cref="GlanceContentBuilder"/>.
/// </summary>
public sealed record GlanceContent(
    [property: JsonPropertyName("label")] GlanceLabel Label,
    [property: JsonPropertyName("status")] GlanceStatus? Status = null,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, object>? Metadata = null)
{
    /// <summary>A glance showing <paramref name="text"/>, encoded: user text cannot inject markup.</summary>
    public static GlanceContent Text(string text) => new(new GlanceLabel(WebUtility.HtmlEncode(text)));
}

/// <summary>The glance text; HipChat renders it as a small subset of HTML, so callers escape user text.</summary>
public sealed record GlanceLabel
{
    public GlanceLabel(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    [JsonPropertyName("value")]
    public string Value { get; }

    [JsonPropertyName("type")]
    public string Type { get; } = "html";
}

/// <summary>A lozenge or an icon beside the label.</summary>
public sealed record GlanceStatus
{
    private GlanceStatus(string type, object value)
    {
        Type = type;
        Value = value;
    }

    [JsonPropertyName("type")]
    public string Type { get; }

    /// <summary>A <see cref="GlanceLozenge"/> or an <see cref="Icon"/>, serialised as what it is.</summary>
    [JsonPropertyName("value")]
    public object Value { get; }

    public static GlanceStatus Lozenge(GlanceLozengeType type, string label) => new("lozenge", new GlanceLozenge(type, label));

    /// <summary>HipChat's icon status names both densities.</summary>
    public static GlanceStatus Icon(Uri url, Uri url2x)
    {
        ArgumentNullException.ThrowIfNull(url2x);
        return new("icon", new Icon(url, url2x));
    }
}

public sealed record GlanceLozenge
{
    public GlanceLozenge(GlanceLozengeType type, string label)
    {
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentException($"'{type}' is not an AUI lozenge type.", nameof(type));
        }

        ArgumentException.ThrowIfNullOrEmpty(label);
        Type = type;
        Label = label;
    }

    [JsonPropertyName("type")]
    public GlanceLozengeType Type { get; }

    [JsonPropertyName("label")]
    public string Label { get; }
}

/// <summary>The AUI lozenge types; the converter keeps them strings in the glance query answer too.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GlanceLozengeType>))]
public enum GlanceLozengeType
{
    [JsonStringEnumMemberName("default")]
    Default,

    [JsonStringEnumMemberName("success")]
    Success,

    [JsonStringEnumMemberName("error")]
    Error,

    [JsonStringEnumMemberName("current")]
    Current,

    [JsonStringEnumMemberName("complete")]
    Complete,

    [JsonStringEnumMemberName("moved")]
    Moved,

    [JsonStringEnumMemberName("new")]
    New,
}
