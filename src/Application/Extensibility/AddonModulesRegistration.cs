using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application.Extensibility;

public static class AddonModulesRegistration
{
    /// <summary>Registers a module: its capabilities, handlers and state (see <see cref="IAddonModule"/>).</summary>
    public static IServiceCollection AddAddonModule<TModule>(this IServiceCollection services)
        where TModule : IAddonModule, new()
    {
        var module = new TModule();
        var modules = ModulesOf(services);
        modules.AddModule(module.Name, module.MigrationsAssembly);
        module.Declare(new AddonModulesBuilder(modules, services, module.Name));
        return services;
    }

    /// <summary>Declares capabilities outside a module (no state of their own); may be called several times.</summary>
    public static IServiceCollection AddAddonModules(this IServiceCollection services, Action<AddonModulesBuilder> declare)
    {
        ArgumentNullException.ThrowIfNull(declare);
        declare(new AddonModulesBuilder(ModulesOf(services), services, module: null));
        return services;
    }

    private static AddonModules ModulesOf(IServiceCollection services)
    {
        if (services.LastOrDefault(d => d.ServiceType == typeof(AddonModules))?.ImplementationInstance is AddonModules modules)
        {
            return modules;
        }

        modules = new AddonModules();
        services.AddSingleton(modules);
        return modules;
    }
}
