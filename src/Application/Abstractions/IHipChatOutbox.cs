using CleanAddon.Application.Glances;
using CleanAddon.Application.Notifications;

namespace CleanAddon.Application.Abstractions;

/// <summary>
/// Calls to HipChat that a use case promises. They are recorded in the use case's unit of work and delivered
/// after it commits, with retries, so a use case never waits for HipChat and a crash loses nothing.
/// </summary>
public interface IHipChatOutbox
{
    void SendRoomNotification(string oAuthId, long roomId, RoomNotification notification);

    /// <summary>Posts a plain message as a user (<c>POST room/{id}/message</c>); HipChat may demand a user token for it.</summary>
    void SendRoomMessage(string oAuthId, long roomId, RoomMessage message);

    void UpdateRoomGlance(string oAuthId, long roomId, string glanceKey, GlanceContent content);
}
