using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;
using CleanAddon.Domain.Installations;

namespace CleanAddon.Application.Sample;

/// <summary>
/// The tutorial add-on, declared on the public extension API like any team's module: remove this folder (with
/// src/Api/Sample, src/Infrastructure/Sample and the tests' Sample folders) and its line in Program.cs, and the
/// framework stands alone.
/// </summary>
public sealed class SampleAddon : IAddonModule
{
    public const string GlanceKey = "sample-glance";
    public const string SidebarKey = "sample-sidebar";
    public const string DialogKey = "sample-dialog";
    public const int OAuthIdMaxLength = Installation.OAuthIdMaxLength;

    public string Name => "sample";

    public void Declare(AddonModulesBuilder addon) => addon
        .State<RoomActivity, RoomActivityConfiguration>()
        .State<InstallationSettings, InstallationSettingsConfiguration>()
        .Webhook<EchoHandler>("echo", pattern: ".*", name: "Echo")
        .Webhook<RoomEnterEvent>("greeting", pattern: null, Greet, name: "Greeting")
        .Glance<EchoCountGlance>(GlanceKey, "Echo count", target: SidebarKey)
        .WebPanel<SidebarPage>(SidebarKey, "Echo sidebar")
        .Dialog<SampleDialog>(DialogKey, "Echo dialog", new DialogOptions("medium", "Send", SampleDialog.SendAction))
        .Action("sample-message-action", "Echo this", ActionLocation.MessageAction, SidebarKey)
        .Configurable<ConfigurePage>();

    /// <summary>A second webhook, to show the one-line form: whoever enters the room is greeted.</summary>
    private static void Greet(RoomEnterEvent entered, WebhookContext context) =>
        context.Room.Notify($"Welcome, {entered.Item.Sender?.Name ?? "there"}!", NotificationColor.Green);
}
