namespace CleanAddon.Api;

/// <summary>
/// Every path the add-on serves. Only the descriptor paths are fixed by the contract; the rest are announced in it,
/// and a declared capability's path ends with its key.
/// </summary>
public static class AddonRoutes
{
    public const string Home = "/";
    public const string Descriptor = "/capabilities.json";
    public const string DescriptorAlias = "/atlassian-connect.json";
    public const string Installed = "/installed";
    public const string UpdateInstallation = "/installed/update";
    public const string Uninstalled = "/uninstalled";
    public const string Webhook = "/webhooks/{key}";
    public const string Glance = "/glances/{key}";
    public const string Page = "/pages/{key}";
    public const string Icon = "/img/icon.png";
    public const string Icon2x = "/img/icon@2x.png";
    public const string HealthLive = "/health/live";
    public const string HealthReady = "/health/ready";

    /// <summary>First path segments of the framework's routes and wwwroot folders: no page action takes one.</summary>
    public static readonly IReadOnlySet<string> FrameworkSegments =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "capabilities.json", "atlassian-connect.json", "installed", "uninstalled", "webhooks", "glances", "pages",
        "health", "img", "css", "js", "openapi", "scalar",
    };

    public static string WebhookOf(string key) => Webhook.Replace("{key}", key, StringComparison.Ordinal);

    public static string GlanceOf(string key) => Glance.Replace("{key}", key, StringComparison.Ordinal);

    public static string PageOf(string key) => Page.Replace("{key}", key, StringComparison.Ordinal);
}
