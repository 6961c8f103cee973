using CleanAddon.Application.Extensibility;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        // Validators are stateless, and building one compiles its rules' expressions: once, not once a request.
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Singleton);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<AddonLifecycle>();
        services.AddScoped<Behaviors.CallerInstallation>();
        services.AddAddonModules(_ => { });
        return services;
    }
}
