using CleanAddon.Api.Pages;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Sample;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.Api.Sample;

/// <summary>
/// The tutorial add-on, declared on the public extension API like any team's module. It lives beside its views
/// (Razor components, which only the host project can name); its handlers and state are in src/Application/Sample.
/// Remove the Sample folders (src/Api, src/Application, src/Infrastructure and the tests') and its line in
/// Program.cs, and the framework stands alone.
/// </summary>
public sealed class SampleAddon : IAddonModule
{
    public const string SidebarKey = "sample-sidebar";
    public const string DialogKey = "sample-dialog";

    /// <summary>The dialog's primary button.</summary>
    public const string SendAction = "sample-dialog.send";

    /// <summary>The tutorial's path, called by the sidebar and the dialog (the contract's <c>/post-card</c>).</summary>
    public const string PostCardPath = "post-card";

    public const string SettingsPath = "settings";

    public string Name => "sample";

    public void Declare(AddonModulesBuilder addon) => addon
        .State<RoomActivity, RoomActivityConfiguration>()
        .State<InstallationSettings, InstallationSettingsConfiguration>()
        .Webhook<EchoHandler>("echo", pattern: ".*", name: "Echo")
        .Webhook<RoomEnterEvent>("greeting", pattern: null, Greeting.Greet, name: "Greeting")
        .Glance<EchoCountGlance>(EchoCountGlance.Key, "Echo count", target: SidebarKey)
        .WebPanel<SidebarPanel>(SidebarKey, "Echo sidebar")
        .Dialog<EchoDialog>(DialogKey, "Echo dialog", new DialogOptions("medium", "Send", SendAction))
        .Action("sample-message-action", "Echo this", ActionLocation.MessageAction, SidebarKey)
        .Configurable<ConfigurePage>()
        .PageAction<CardForm>(HttpMethod.Post, PostCardPath, PostCard.Send)
        .PageAction<ChangeSettingsHandler>(HttpMethod.Put, SettingsPath);
}
