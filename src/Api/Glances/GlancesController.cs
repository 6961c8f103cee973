using CleanAddon.Api.Authentication;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Glances;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Mvc;

namespace CleanAddon.Api.Glances;

/// <summary>Called cross-origin by HipChat clients with <c>signed_request</c>; the JWT, not a cookie, is the credential.</summary>
[ApiController]
[EnableCors(CorsPolicies.HipChatClients)]
[Authorize(AuthenticationSchemes = HipChatJwtDefaults.Scheme)]
public sealed class GlancesController(ISender sender, AddonModules modules) : ControllerBase
{
    [HttpGet(AddonRoutes.Glance)]
    public async Task<ActionResult<GlanceContent>> Get(string key, CancellationToken cancellationToken)
    {
        if (modules.Glance(key) is null)
        {
            return Problem(statusCode: StatusCodes.Status404NotFound, detail: "No glance is declared with that key.");
        }

        var caller = User.ToHipChatCaller();
        return await sender.Send(new GetGlanceQuery(caller, key, caller.RoomId), cancellationToken);
    }
}

public static class CorsPolicies
{
    public const string HipChatClients = "HipChatClients";
}
