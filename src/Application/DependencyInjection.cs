using CleanAddon.Application.Extensibility;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Scoped);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<AddonLifecycle>();
        services.AddAddonModules(_ => { });
        return services;
    }
}
