using CleanAddon.Application.Extensibility;
using CleanAddon.Domain;

namespace CleanAddon.Application.Sample;

/// <summary>What a room admin chose on the sample add-on's configure page for one installation.</summary>
public sealed class InstallationSettings : IInstallationOwned
{
    public const int EchoPrefixMaxLength = 32;
    public const string DefaultEchoPrefix = "echo";
    public const string DefaultColor = "gray";

    /// <summary>HipChat's notification colours (spec 7.1).</summary>
    public static readonly IReadOnlyList<string> Colors = ["yellow", "green", "red", "purple", "gray", "random"];

    private InstallationSettings(string oAuthId, string echoPrefix, string color, bool glanceEnabled)
    {
        OAuthId = oAuthId;
        EchoPrefix = echoPrefix;
        Color = color;
        GlanceEnabled = glanceEnabled;
    }

    public string OAuthId { get; private set; }

    /// <summary>Put before every echoed message, e.g. <c>echo</c> in <c>echo hello</c>.</summary>
    public string EchoPrefix { get; private set; }

    public string Color { get; private set; }

    /// <summary>Whether echoes push glance updates.</summary>
    public bool GlanceEnabled { get; private set; }

    /// <summary>The settings of an installation whose admin never saved any.</summary>
    public static InstallationSettings Defaults(string oAuthId) => new(oAuthId, DefaultEchoPrefix, DefaultColor, true);

    public void Change(string echoPrefix, string color, bool glanceEnabled)
    {
        if (string.IsNullOrWhiteSpace(echoPrefix) || echoPrefix.Length > EchoPrefixMaxLength)
        {
            throw new DomainRuleException($"An echo prefix has 1 to {EchoPrefixMaxLength} characters.");
        }

        if (!Colors.Contains(color))
        {
            throw new DomainRuleException($"A notification colour is one of {string.Join(", ", Colors)}.");
        }

        EchoPrefix = echoPrefix.Trim();
        Color = color;
        GlanceEnabled = glanceEnabled;
    }
}
