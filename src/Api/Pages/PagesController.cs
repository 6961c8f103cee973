using CleanAddon.Api.Authentication;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Pages;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CleanAddon.Api.Pages;

/// <summary>Every declared view, loaded by HipChat in an iframe with <c>signed_request</c>.</summary>
[ApiController]
[Authorize(AuthenticationSchemes = HipChatJwtDefaults.PageScheme)]
public sealed class PagesController(ISender sender, AddonModules modules, PageLayout layout) : ControllerBase
{
    [HttpGet(AddonRoutes.Page)]
    public async Task<IActionResult> Get(string key, CancellationToken cancellationToken)
    {
        if (modules.Page(key) is null)
        {
            return Problem(statusCode: StatusCodes.Status404NotFound, detail: "No page is declared with that key.");
        }

        var rendered = await sender.Send(new RenderPageQuery(User.ToHipChatCaller(), key), cancellationToken);
        return layout.Render(HttpContext, rendered);
    }
}
