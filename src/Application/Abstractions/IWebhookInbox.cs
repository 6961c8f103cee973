namespace CleanAddon.Application.Abstractions;

/// <summary>
/// Accepted webhooks waiting for their handler. Enqueued in the accepting unit of work, so HipChat gets its answer
/// at once and the handler runs later, durably, in the order the room's webhooks arrived.
/// </summary>
public interface IWebhookInbox
{
    /// <summary>
    /// Queues the webhook; when its installation already has as much work waiting as it may
    /// (<c>Intake:MaxQueuedPerInstallation</c>), records it dead-lettered instead, logged and counted, for an
    /// operator to retry.
    /// </summary>
    void Enqueue(QueuedWebhook webhook);
}

/// <param name="Key">The declared webhook's key.</param>
/// <param name="Caller">The verified caller.</param>
/// <param name="RoomId">The event's room, as checked against the caller.</param>
/// <param name="EventJson">The checked event, as <see cref="Webhooks.WebhookJson"/> wrote it.</param>
public sealed record QueuedWebhook(string Key, HipChatCaller Caller, long RoomId, string EventJson);
