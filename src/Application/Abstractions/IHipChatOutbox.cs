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

    void UpdateRoomGlance(string oAuthId, long roomId, string glanceKey, GlanceContent content);
}
