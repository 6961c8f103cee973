using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;
using CleanAddon.Domain.Rooms;
using CleanAddon.Domain.Settings;

namespace CleanAddon.Application.Sample;

/// <summary>The tutorial's echo: every room message comes back as <c>echo &lt;message&gt;</c>, and the glance counts them.</summary>
public sealed class EchoHandler(IAddonStore store, IHipChatOutbox outbox) : IWebhookHandler<RoomMessageEvent>
{
    public async ValueTask HandleAsync(RoomMessageEvent webhook, WebhookContext context, CancellationToken cancellationToken)
    {
        var oAuthId = context.Caller.OAuthId;
        var room = await store.FindRoomActivityAsync(oAuthId, context.RoomId, cancellationToken);
        if (room is null)
        {
            room = RoomActivity.Start(oAuthId, context.RoomId);
            store.AddRoomActivity(room);
        }

        var settings = await store.FindSettingsAsync(oAuthId, cancellationToken) ?? InstallationSettings.Defaults(oAuthId);
        var echoes = room.RecordEcho();
        outbox.SendRoomNotification(
            oAuthId,
            context.RoomId,
            new RoomNotification(
                RoomNotification.Fit($"{settings.EchoPrefix} {webhook.Text}"),
                color: Enum.Parse<NotificationColor>(settings.Color, ignoreCase: true)));
        if (settings.GlanceEnabled)
        {
            outbox.UpdateRoomGlance(oAuthId, context.RoomId, SampleAddon.GlanceKey, EchoCountGlance.Describe(echoes));
        }
    }
}
