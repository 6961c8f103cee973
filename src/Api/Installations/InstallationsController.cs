using System.Text.Json.Serialization;
using CleanAddon.Application.Installations;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CleanAddon.Api.Installations;

[ApiController]
public sealed class InstallationsController(ISender sender) : ControllerBase
{
    public const int MaxBodyBytes = 64 * 1024;

    [HttpPost(AddonRoutes.Installed)]
    [Consumes("application/json", "application/*+json")]
    [RequestSizeLimit(MaxBodyBytes)]
    public async Task<IActionResult> Install(InstallationCallback callback, CancellationToken cancellationToken)
    {
        await sender.Send(callback.ToCommand(), cancellationToken);
        return Ok();
    }

    [HttpPost(AddonRoutes.UpdateInstallation)]
    [Consumes("application/json", "application/*+json")]
    [RequestSizeLimit(MaxBodyBytes)]
    public async Task<IActionResult> Update(UpdateCallback callback, CancellationToken cancellationToken) =>
        await sender.Send(callback.ToCommand(), cancellationToken)
            ? Ok()
            : Problem(statusCode: StatusCodes.Status404NotFound, detail: "No installation has that oauthId.");

    [HttpGet(AddonRoutes.Uninstalled)]
    public async Task<IActionResult> Uninstall(
        [FromQuery(Name = "installable_url")] Uri? installableUrl,
        [FromQuery(Name = "redirect_url")] Uri? redirectUrl,
        CancellationToken cancellationToken)
    {
        await sender.Send(new UninstallAddonCommand(installableUrl, redirectUrl), cancellationToken);
        return Redirect(redirectUrl!.AbsoluteUri);
    }
}

/// <summary>The body HipChat POSTs to the install callback.</summary>
public sealed record InstallationCallback(
    [property: JsonPropertyName("oauthId")] string? OAuthId,
    [property: JsonPropertyName("oauthSecret")] string? OAuthSecret,
    [property: JsonPropertyName("capabilitiesUrl")] Uri? CapabilitiesUrl,
    [property: JsonPropertyName("groupId")] long? GroupId,
    [property: JsonPropertyName("roomId")] long? RoomId)
{
    public InstallAddonCommand ToCommand() =>
        new(OAuthId ?? "", OAuthSecret ?? "", CapabilitiesUrl, GroupId, RoomId);

    /// <summary>Framework trace logging prints action arguments: the secret must not be part of that.</summary>
    public override string ToString() =>
        $"{nameof(InstallationCallback)} {{ OAuthId = {OAuthId}, CapabilitiesUrl = {CapabilitiesUrl}, GroupId = {GroupId}, RoomId = {RoomId} }}";
}

/// <summary>The body HipChat POSTs to the update callback; the secret is not sent again.</summary>
public sealed record UpdateCallback(
    [property: JsonPropertyName("oauthId")] string? OAuthId,
    [property: JsonPropertyName("capabilitiesUrl")] Uri? CapabilitiesUrl,
    [property: JsonPropertyName("roomId")] long? RoomId)
{
    public UpdateInstallationCommand ToCommand() => new(OAuthId ?? "", CapabilitiesUrl, RoomId);
}
