using System.Text.Json;
using CleanAddon.Api.Authentication;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Webhooks;
using CleanAddon.Infrastructure.HipChat;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CleanAddon.Api.Webhooks;

/// <summary>Every declared webhook: authenticated, read as the declared event type, accepted through the mediator.</summary>
[ApiController]
[Authorize(AuthenticationSchemes = HipChatJwtDefaults.Scheme)]
[EnableRateLimiting(WebhookRateLimit.Policy)]
public sealed class WebhooksController(ISender sender, AddonModules modules) : ControllerBase
{
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>Answers 204 at once (the handler runs from a durable queue), or 200 with an immediate handler's notification.</summary>
    [HttpPost(AddonRoutes.Webhook)]
    [Consumes("application/json", "application/*+json")]
    [RequestSizeLimit(MaxBodyBytes)]
    public async Task<IActionResult> Receive(string key, CancellationToken cancellationToken)
    {
        if (modules.Webhook(key) is not { } declaration)
        {
            return Problem(statusCode: StatusCodes.Status404NotFound, detail: "No webhook is declared with that key.");
        }

        WebhookEvent webhook;
        try
        {
            webhook = WebhookJson.Read(await ReadBodyAsync(cancellationToken), declaration.EventType);
        }
        catch (JsonException)
        {
            return Problem(
                statusCode: StatusCodes.Status400BadRequest,
                type: ProblemDetails.ProblemTypes.MalformedRequest.Uri,
                title: ProblemDetails.ProblemTypes.MalformedRequest.Title,
                detail: $"The body is not a {declaration.Event} webhook, or repeats a key (keys are compared ignoring case).");
        }

        var reply = await sender.Send(new AcceptWebhookCommand(User.ToHipChatCaller(), key, webhook), cancellationToken);
        return reply.Notification is { } notification
            ? Content(JsonSerializer.Serialize(notification, HipChatJson.Options), "application/json")
            : NoContent();
    }

    private async Task<byte[]> ReadBodyAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await Request.Body.CopyToAsync(body, cancellationToken);
        return body.ToArray();
    }
}
