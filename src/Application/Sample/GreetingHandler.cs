using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.Application.Sample;

/// <summary>A second webhook, to show the pattern: whoever enters the room is greeted.</summary>
public sealed class GreetingHandler(IHipChatOutbox outbox) : IWebhookHandler<RoomEnterEvent>
{
    public ValueTask HandleAsync(RoomEnterEvent webhook, WebhookContext context, CancellationToken cancellationToken)
    {
        var name = webhook.Item.Sender?.Name ?? "there";
        outbox.SendRoomNotification(
            context.Caller.OAuthId, context.RoomId,
            new RoomNotification(RoomNotification.Fit($"Welcome, {name}!"), color: NotificationColor.Green));
        return ValueTask.CompletedTask;
    }
}
