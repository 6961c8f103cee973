using System.Text.Json;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Notifications;
using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Telemetry;

namespace CleanAddon.Infrastructure.Delivery;

/// <summary>Records calls to HipChat in the caller's unit of work; <see cref="Queues.HipChatCallWorker"/> delivers them.</summary>
internal sealed class HipChatOutbox(AddonDbContext db, IGlanceCache glances, TimeProvider clock) : IHipChatOutbox
{
    public void SendRoomNotification(string oAuthId, long roomId, RoomNotification notification) =>
        Record(oAuthId, roomId, HipChatCallKind.RoomNotification, notification);

    public void SendRoomMessage(string oAuthId, long roomId, RoomMessage message) =>
        Record(oAuthId, roomId, HipChatCallKind.RoomMessage, message);

    /// <summary>Once it commits, the update is also what the room's glance query answers (<see cref="IGlanceCache"/>).</summary>
    public void UpdateRoomGlance(string oAuthId, long roomId, string glanceKey, GlanceContent content)
    {
        Record(oAuthId, roomId, HipChatCallKind.GlanceUpdate, new GlanceUpdate([new GlanceUpdateItem(glanceKey, content)]));
        db.AfterCommit(() => glances.Set(oAuthId, roomId, glanceKey, content));
    }

    // In HipChat's JSON, carrying the current trace so that its delivery continues it.
    private void Record<T>(string oAuthId, long roomId, HipChatCallKind kind, T body) =>
        db.HipChatCalls.Add(HipChatCall.Record(
            oAuthId, roomId, kind, JsonSerializer.Serialize(body, HipChatJson.Options), clock.GetUtcNow(),
            AddonTelemetry.CurrentTraceParent()));
}
