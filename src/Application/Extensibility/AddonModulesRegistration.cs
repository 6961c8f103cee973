using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application.Extensibility;

public static class AddonModulesRegistration
{
    /// <summary>Declares capabilities (see <see cref="AddonModulesBuilder"/>); may be called several times.</summary>
    public static IServiceCollection AddAddonModules(this IServiceCollection services, Action<AddonModulesBuilder> declare)
    {
        var modules = services.LastOrDefault(d => d.ServiceType == typeof(AddonModules))?.ImplementationInstance as AddonModules;
        if (modules is null)
        {
            modules = new AddonModules();
            services.AddSingleton(modules);
        }

        declare(new AddonModulesBuilder(modules, services));
        return services;
    }
}
