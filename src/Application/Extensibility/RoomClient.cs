using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Notifications;

namespace CleanAddon.Application.Extensibility;

/// <summary>
/// One HipChat room, as the installation that received the webhook (or loaded the page) sees it. What you send is
/// queued in your handler's unit of work and delivered once your changes commit, in the room's order, with retries;
/// nothing is sent if the handler fails.
/// </summary>
public sealed class RoomClient(IHipChatOutbox outbox, string oAuthId, long roomId)
{
    public long Id => roomId;

    /// <summary>A plain-text notification from the add-on (longer text is cut to HipChat's limit).</summary>
    public void Notify(string text, NotificationColor color = NotificationColor.Gray, bool notify = false) =>
        Notify(new RoomNotification(RoomNotification.Fit(text), color: color, notify: notify));

    public void Notify(RoomNotification notification) => outbox.SendRoomNotification(oAuthId, roomId, notification);

    /// <summary>A card; <paramref name="fallbackText"/> is what clients that cannot render cards show.</summary>
    public void SendCard(Card card, string fallbackText) =>
        Notify(new RoomNotification(RoomNotification.Fit(fallbackText), card: card));

    /// <summary>A message as a user (<c>POST room/{id}/message</c>); HipChat may demand a user token for it.</summary>
    public void SendMessage(string text) => outbox.SendRoomMessage(oAuthId, roomId, new RoomMessage(text));

    /// <summary>
    /// Shows <paramref name="content"/> in the glance <paramref name="glanceKey"/> of everyone in the room. A glance is
    /// state: an update that a later one of the same unit of work replaces is never sent.
    /// </summary>
    public void UpdateGlance(string glanceKey, GlanceContent content) =>
        outbox.UpdateRoomGlance(oAuthId, roomId, glanceKey, content);
}
