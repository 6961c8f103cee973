using System.Text.Json.Serialization;
using CleanAddon.Api.Authentication;
using CleanAddon.Application.Sample;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CleanAddon.Api.Sample;

/// <summary>
/// The sample pages' calls back to the add-on. Like the tutorial's, they are not in the descriptor, and they take
/// only the token a page got from <c>HipChat.auth.withToken</c>, in the Authorization header.
/// </summary>
[ApiController]
[Authorize(AuthenticationSchemes = HipChatJwtDefaults.BackendScheme)]
public sealed class SampleController(ISender sender) : ControllerBase
{
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>Takes the card text as a form field (the tutorial's jQuery page sends that) or as JSON.</summary>
    [HttpPost(SampleRoutes.PostCard)]
    [Consumes("application/x-www-form-urlencoded", "multipart/form-data")]
    [RequestSizeLimit(MaxBodyBytes)]
    public Task<IActionResult> PostCardForm([FromForm] CardForm form, CancellationToken cancellationToken) =>
        PostCardAsync(form, cancellationToken);

    [HttpPost(SampleRoutes.PostCard)]
    [Consumes("application/json", "application/*+json")]
    [RequestSizeLimit(MaxBodyBytes)]
    public Task<IActionResult> PostCardJson([FromBody] CardForm form, CancellationToken cancellationToken) =>
        PostCardAsync(form, cancellationToken);

    [HttpPut(SampleRoutes.Settings)]
    [Consumes("application/json", "application/*+json")]
    [RequestSizeLimit(MaxBodyBytes)]
    public async Task<IActionResult> ChangeSettings(SettingsForm form, CancellationToken cancellationToken)
    {
        await sender.Send(
            new ChangeSettingsCommand(User.ToHipChatCaller(), form.EchoPrefix, form.Color, form.GlanceEnabled ?? true),
            cancellationToken);
        return NoContent();
    }

    private async Task<IActionResult> PostCardAsync(CardForm form, CancellationToken cancellationToken)
    {
        await sender.Send(new PostCardCommand(User.ToHipChatCaller(), form.CardDescription), cancellationToken);
        return NoContent();
    }
}

public sealed record CardForm([property: JsonPropertyName("cardDescription")] string? CardDescription);

public sealed record SettingsForm(
    [property: JsonPropertyName("echoPrefix")] string? EchoPrefix,
    [property: JsonPropertyName("color")] string? Color,
    [property: JsonPropertyName("glanceEnabled")] bool? GlanceEnabled);

public static class SampleRoutes
{
    /// <summary>The tutorial's path, called by the sidebar and the dialog (contract: <c>{Addon:BaseUrl}/post-card</c>).</summary>
    public const string PostCard = "/post-card";

    public const string Settings = "/settings";
}
