namespace CleanAddon.Application.Glances;

/// <summary>What a glance shows: the query answer and the <c>content</c> of a glance update.</summary>
public sealed record GlanceContent(GlanceLabel Label, GlanceStatus? Status = null);

/// <summary>The glance text; HipChat renders it as a small subset of HTML, so callers escape user text.</summary>
public sealed record GlanceLabel(string Value)
{
    public string Type { get; } = "html";
}

public sealed record GlanceStatus(string Type, GlanceLozenge Value);

public sealed record GlanceLozenge(string Type, string Label);
