using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.Application.Sample;

/// <summary>A second webhook, to show the one-line form: whoever enters the room is greeted.</summary>
public static class Greeting
{
    public static void Greet(RoomEnterEvent entered, WebhookContext context) =>
        context.Room.Notify($"Welcome, {entered.Item.Sender?.Name ?? "there"}!", NotificationColor.Green);
}
