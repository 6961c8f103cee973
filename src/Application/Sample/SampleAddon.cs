using CleanAddon.Application.Extensibility;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application.Sample;

/// <summary>The tutorial add-on, declared on the public extension API like any team's capabilities would be.</summary>
public static class SampleAddon
{
    public const string GlanceKey = "sample-glance";

    public static IServiceCollection AddSampleAddon(this IServiceCollection services) =>
        services.AddAddonModules(addon => addon
            .Webhook<EchoHandler>("echo", pattern: ".*", name: "Echo")
            .Webhook<GreetingHandler>("greeting", name: "Greeting")
            .Glance<EchoCountGlance>(GlanceKey, "Echo count"));
}
