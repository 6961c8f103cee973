using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CleanAddon.Api.Home;

/// <summary><c>links.homepage</c>: a page for the person who opens the add-on's address.</summary>
[ApiController]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class HomeController(IOptions<AddonOptions> options, HealthCheckService health) : ControllerBase
{
    // The copy button's script is a file of the add-on's own, so no inline script needs allowing.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string Version = typeof(HomeController).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    [HttpGet(AddonRoutes.Home)]
    public async Task<IResult> Get(CancellationToken cancellationToken)
    {
        var ready = await health.CheckHealthAsync(
            check => check.Tags.Contains(Infrastructure.DependencyInjection.ReadyTag), cancellationToken);
        var addon = options.Value;
        Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return new RazorComponentResult<HomePage>(new Dictionary<string, object?>
        {
            [nameof(HomePage.Home)] = new HomeModel(
                addon.Name, addon.Description, addon.Url(AddonRoutes.Descriptor), Version, ready.Status.ToString()),
        });
    }
}

public sealed record HomeModel(string Name, string Description, string DescriptorUrl, string Version, string Health);
