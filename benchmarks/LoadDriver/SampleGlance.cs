using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CleanAddon.LoadDriver;

/// <summary>The sample add-on's glance counts the webhooks its echo handler ran in the room: "&lt;b&gt;12&lt;/b&gt; echoes".</summary>
internal static partial class SampleGlance
{
    public static long Echoes(string glanceJson)
    {
        var label = JsonNode.Parse(glanceJson)?["label"]?["value"]?.GetValue<string>() ?? "";
        return long.Parse(Count().Match(label).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("<b>([0-9]+)</b>")]
    private static partial Regex Count();
}
