using System.Text.Json;
using System.Text.Json.Serialization;
using CleanAddon.Api.Authentication;
using CleanAddon.Application.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CleanAddon.Api.Webhooks;

[ApiController]
[Authorize(AuthenticationSchemes = HipChatJwtDefaults.Scheme)]
public sealed class WebhooksController(ISender sender) : ControllerBase
{
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>Acknowledged at once with 204; the echo and the glance update are delivered by the outbox.</summary>
    [HttpPost(AddonRoutes.RoomMessageWebhook)]
    [Consumes("application/json", "application/*+json")]
    [RequestSizeLimit(MaxBodyBytes)]
    public async Task<IActionResult> RoomMessage(WebhookPayload payload, CancellationToken cancellationToken)
    {
        await sender.Send(
            new HandleWebhookCommand(User.ToHipChatCaller(), WebhookEvents.RoomMessage, payload.ToEvent()),
            cancellationToken);
        return NoContent();
    }
}

/// <summary>HipChat's webhook envelope (spec 6.2); unknown fields are ignored.</summary>
public sealed record WebhookPayload(
    [property: JsonPropertyName("event")] string? Event,
    [property: JsonPropertyName("webhook_id")] long WebhookId,
    [property: JsonPropertyName("oauth_client_id")] string? OAuthClientId,
    [property: JsonPropertyName("item")] WebhookItem? Item)
{
    public WebhookEvent ToEvent() => new(
        Event ?? "",
        WebhookId,
        OAuthClientId,
        Item?.Room?.Id ?? 0,
        Item?.Message?.Id,
        Item?.Message?.Message,
        UserId(Item?.Message?.From) ?? UserId(Item?.Sender));

    // "from" is a user object for people and a plain string for integrations, which have no user id.
    private static string? UserId(JsonElement? user) =>
        user is { ValueKind: JsonValueKind.Object } u && u.TryGetProperty("id", out var id)
            ? id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText()
            : null;
}

public sealed record WebhookItem(
    [property: JsonPropertyName("message")] WebhookMessage? Message,
    [property: JsonPropertyName("room")] WebhookRoom? Room,
    [property: JsonPropertyName("sender")] JsonElement? Sender);

public sealed record WebhookMessage(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("from")] JsonElement? From);

public sealed record WebhookRoom([property: JsonPropertyName("id")] long Id);
