using CleanAddon.Api;
using CleanAddon.Api.Capabilities;
using CleanAddon.Api.Operations;
using CleanAddon.Application;
using CleanAddon.Application.Extensibility;
using CleanAddon.Infrastructure;
using CleanAddon.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

if (DeadLettersVerb.IsInvoked(args))
{
    return await DeadLettersVerb.RunAsync(args, AddAddon);
}

try
{
    var builder = WebApplication.CreateBuilder(AddonDefaults.HostOptions(args));
    AddonDefaults.Apply(builder);

    // Request-start lines carry the full URL, and HipChat puts JWTs in signed_request: never log them.
    builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

    AddAddon(builder.Services, builder.Configuration);

    var app = builder.Build();

    // Settings are checked before the host starts, so a bad one is reported here rather than by the host's own log.
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    app.Services.GetRequiredService<AddonModules>().Validate();

    // The database is made ready on the second core while the request pipeline is mapped; the host starts after both.
    var database = Task.Run(() => app.Services.InitializeDatabaseAsync(app.Lifetime.ApplicationStopping));
    app.LogStartup();

    if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.TrustsAny)
    {
        app.UseForwardedHeaders();
    }

    app.Use((context, next) =>
    {
        // JWTs travel in signed_request query strings: never let a Referer carry them elsewhere.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    });
    app.UseWhen(
        context => context.Request.Path.StartsWithSegments("/webhooks", StringComparison.Ordinal),
        webhooks => webhooks.Use(async (context, next) =>
        {
            await next(context);
            AddonTelemetry.WebhookAnswered(context.Response.StatusCode);
        }));
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseStaticFiles();
    app.UseRouting();
    app.UseCors();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseRateLimiter();

    app.MapControllers();
    app.MapCapabilities();
    app.MapOpenApi();
    if (app.Environment.IsDevelopment())
    {
        app.MapScalarApiReference();
    }

    app.MapHealthChecks(AddonRoutes.HealthLive, new HealthCheckOptions
    {
        Predicate = _ => false,
        ResponseWriter = HealthResponses.WriteAsync,
    });
    app.MapHealthChecks(AddonRoutes.HealthReady, new HealthCheckOptions
    {
        Predicate = check => check.Tags.Contains(CleanAddon.Infrastructure.DependencyInjection.ReadyTag),
        ResponseWriter = HealthResponses.WriteAsync,
    });

    await database;
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (StartupFailure.Describe(exception) is { } reason)
{
    // Operators read one line naming the setting, not a stack trace.
    await Console.Error.WriteLineAsync($"CleanAddon cannot start: {reason}");
    return 1;
}

// The framework, then the add-on's modules, one line each.
static void AddAddon(IServiceCollection services, IConfiguration configuration)
{
    services
        .AddApplication()
        .AddInfrastructure(configuration)
        .AddApi(configuration);
    //#if (sample)
    // The sample add-on, its namespace spelled out: deleting this line and the Sample folders drops it.
    services.AddAddonModule<CleanAddon.Api.Sample.SampleAddon>();
    //#endif
}

/// <summary>The entry point, public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
