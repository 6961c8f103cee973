using CleanAddon.Infrastructure.HipChat;
using Microsoft.Extensions.Configuration.Memory;

namespace CleanAddon.Api;

/// <summary>
/// The runtime contract's defaults, in code so that they hold from any working directory and in any environment;
/// appsettings.json, environment variables and the command line only override them.
/// </summary>
internal static class AddonDefaults
{
    public const string ListenUrl = "http://localhost:5080";

    private static readonly string[] ListenKeys =
        [WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey];

    /// <summary>
    /// The add-on's own folder is the content root (appsettings.json, wwwroot, a relative SQLite file) unless one is
    /// given.
    /// </summary>
    public static WebApplicationOptions HostOptions(string[] args)
    {
        var host = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables("DOTNET_")
            .AddCommandLine(args)
            .Build();
        return new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = string.IsNullOrEmpty(host[WebHostDefaults.ContentRootKey])
                ? AppContext.BaseDirectory
                : null,
        };
    }

    public static void Apply(WebApplicationBuilder builder)
    {
        // Lowest of all sources, and keyed like appsettings.json: HipChat:AllowedHosts:0 still replaces the first host.
        builder.Configuration.Sources.Insert(
            0, new MemoryConfigurationSource { InitialData = Settings(builder.Environment) });

        // .NET's container images set ASPNETCORE_HTTP_PORTS; whatever names an address wins over the default.
        if (!ListenKeys.Any(key => !string.IsNullOrEmpty(builder.Configuration[key]))
            && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(ListenUrl);
        }

        // A build's output has no wwwroot of its own: its manifest points at the project's (a publish copies it).
        builder.WebHost.UseStaticWebAssets();
    }

    private static Dictionary<string, string?> Settings(IHostEnvironment environment)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",

            // Four lines per call to HipChat, two calls per webhook: under load that was most of the add-on's output and a
            // good share of its CPU. Failures are logged by the delivery itself, and every call is a span in its trace.
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
            [DependencyInjection.ConsoleTracesKey] = environment.IsDevelopment() ? "true" : "false",
        };
        for (var i = 0; i < HipChatOptions.DefaultAllowedHosts.Count; i++)
        {
            var key = $"{HipChatOptions.SectionName}:{nameof(HipChatOptions.AllowedHosts)}:{i}";
            settings[key] = HipChatOptions.DefaultAllowedHosts[i];
        }

        return settings;
    }
}
