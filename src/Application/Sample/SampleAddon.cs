using CleanAddon.Application.Extensibility;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application.Sample;

/// <summary>The tutorial add-on, declared on the public extension API like any team's capabilities would be.</summary>
public static class SampleAddon
{
    public const string GlanceKey = "sample-glance";
    public const string SidebarKey = "sample-sidebar";
    public const string DialogKey = "sample-dialog";

    public static IServiceCollection AddSampleAddon(this IServiceCollection services) =>
        services.AddAddonModules(addon => addon
            .Webhook<EchoHandler>("echo", pattern: ".*", name: "Echo")
            .Webhook<GreetingHandler>("greeting", name: "Greeting")
            .Glance<EchoCountGlance>(GlanceKey, "Echo count", target: SidebarKey)
            .WebPanel<SidebarPage>(SidebarKey, "Echo sidebar")
            .Dialog<SampleDialog>(DialogKey, "Echo dialog", new DialogOptions("medium", "Send", SampleDialog.SendAction))
            .Action("sample-message-action", "Echo this", ActionLocation.MessageAction, SidebarKey)
            .Configurable<ConfigurePage>());
}
