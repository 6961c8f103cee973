namespace CleanAddon.Api;

/// <summary>Every path the add-on serves. Only the descriptor paths are fixed by the contract; the rest are announced in it.</summary>
public static class AddonRoutes
{
    public const string Descriptor = "/capabilities.json";
    public const string DescriptorAlias = "/atlassian-connect.json";
    public const string Installed = "/installed";
    public const string UpdateInstallation = "/installed/update";
    public const string Uninstalled = "/uninstalled";
    public const string RoomMessageWebhook = "/webhooks/room-message";
    public const string Glance = "/glance";
    public const string Icon = "/img/icon.png";
    public const string Icon2x = "/img/icon@2x.png";
    public const string HealthLive = "/health/live";
    public const string HealthReady = "/health/ready";
}
