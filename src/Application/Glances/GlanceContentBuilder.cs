using CleanAddon.Application.Notifications;

namespace CleanAddon.Application.Glances;

/// <summary>Builds <see cref="GlanceContent"/>, checking each value as it is given.</summary>
public sealed class GlanceContentBuilder(string labelHtml)
{
    private readonly GlanceLabel _label = new(labelHtml);
    private readonly Dictionary<string, object> _metadata = new(StringComparer.Ordinal);
    private GlanceStatus? _status;

    public GlanceContentBuilder WithLozenge(GlanceLozengeType type, string label)
    {
        _status = GlanceStatus.Lozenge(type, label);
        return this;
    }

    public GlanceContentBuilder WithIcon(Uri url, Uri url2x)
    {
        _status = GlanceStatus.Icon(url, url2x);
        return this;
    }

    /// <summary>Evaluated by <c>glance_matches</c> conditions to show or hide the glance.</summary>
    public GlanceContentBuilder WithMetadata(string key, object value)
    {
        WireRules.MetadataEntry(key, value);
        _metadata[key] = value;
        return this;
    }

    public GlanceContent Build() => new(
        _label, _status, _metadata.Count == 0 ? null : new Dictionary<string, object>(_metadata, StringComparer.Ordinal));
}
