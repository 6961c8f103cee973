using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.Micro;

/// <summary>
/// The capabilities the micro benchmarks measure the framework with, declared here rather than borrowed from the sample
/// add-on, so that deleting the sample leaves them building: an echo webhook, a second webhook and a glance.
/// </summary>
internal sealed class BenchmarkAddon : IAddonModule
{
    public string Name => "benchmark";

    public void Declare(AddonModulesBuilder addon) => addon
        .Webhook<RoomMessageEvent>("echo", ".*", (message, context) => context.Room.Notify($"echo {message.Text}"), name: "Echo")
        .Webhook<RoomEnterEvent>("greeting", pattern: null, (_, context) => context.Room.Notify("Welcome!"), name: "Greeting")
        .Glance("benchmark-glance", "Echo count", (_, _) => ValueTask.FromResult(GlanceContent.Text("0 echoes")));
}
