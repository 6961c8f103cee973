namespace CleanAddon.Application.Abstractions;

/// <summary>
/// The durable queue of accepted webhooks. HipChat gets its answer once <see cref="AcceptAsync"/> returns: the webhook
/// is then committed, and its handler runs later, from the queue, in its room's order.
/// </summary>
public interface IWebhookIntake
{
    /// <summary>
    /// Queues the webhook, committed before it returns; false, and nothing queued, when the same delivery (installation,
    /// webhook id, event, message id) was accepted within the last 24 hours. When the installation already has as
    /// much work waiting as it may (<c>Intake:MaxQueuedPerInstallation</c>) it is recorded as a dead letter instead,
    /// logged and counted, for an operator to retry.
    /// </summary>
    Task<bool> AcceptAsync(AcceptedWebhook webhook, CancellationToken cancellationToken);
}

/// <param name="Caller">The verified caller.</param>
/// <param name="Key">The declared webhook's key.</param>
/// <param name="RoomId">The event's room, as checked against the caller.</param>
/// <param name="WebhookId">HipChat's id of the webhook registration.</param>
/// <param name="Event">HipChat's event name.</param>
/// <param name="MessageId">HipChat's id of the delivery's message, the de-duplication key; null when it has none.</param>
/// <param name="EventJson">The checked event, as <see cref="Webhooks.WebhookJson"/> wrote it.</param>
public sealed record AcceptedWebhook(
    HipChatCaller Caller, string Key, long RoomId, long WebhookId, string Event, string? MessageId, string EventJson);

/// <summary>An accepted webhook taken from the queue for its handler.</summary>
/// <param name="Id">Its id in the queue.</param>
/// <param name="OAuthId">The installation it was sent for.</param>
/// <param name="RoomId">The room it came from, as checked when it was accepted.</param>
/// <param name="Key">The declared webhook's key.</param>
/// <param name="UserId">The user the webhook's JWT named, if any.</param>
/// <param name="EventJson">The checked event.</param>
public sealed record QueuedWebhook(long Id, string OAuthId, long RoomId, string Key, string? UserId, string EventJson);
