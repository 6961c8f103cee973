using System.Text.Json;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Notifications;
using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.Infrastructure.Delivery;

/// <summary>Records calls to HipChat in the caller's unit of work; <see cref="Queues.HipChatCallWorker"/> delivers them.</summary>
internal sealed class HipChatOutbox(AddonDbContext db, IGlanceCache glances, TimeProvider clock) : IHipChatOutbox
{
    // A glance is state, not a message: an update that a later one of the same unit of work replaces would only be
    // overwritten at HipChat a moment later, so it is never queued (under load a round handles many webhooks per room).
    private readonly Dictionary<(string OAuthId, long RoomId, string Key), HipChatCall> _glanceUpdates = [];

    public void SendRoomNotification(string oAuthId, long roomId, RoomNotification notification) =>
        Record(oAuthId, roomId, HipChatCallKind.RoomNotification, notification);

    public void SendRoomMessage(string oAuthId, long roomId, RoomMessage message) =>
        Record(oAuthId, roomId, HipChatCallKind.RoomMessage, message);

    /// <summary>
    /// Once it commits, the update is also what the room's glance query answers (<see cref="IGlanceCache"/>). It
    /// replaces an update of the same glance and room that this unit of work queued and has not yet saved.
    /// </summary>
    public void UpdateRoomGlance(string oAuthId, long roomId, string glanceKey, GlanceContent content)
    {
        var key = (oAuthId, roomId, glanceKey);
        if (_glanceUpdates.TryGetValue(key, out var replaced) && db.Entry(replaced).State == EntityState.Added)
        {
            db.HipChatCalls.Remove(replaced);
        }

        _glanceUpdates[key] = Record(
            oAuthId, roomId, HipChatCallKind.GlanceUpdate, new GlanceUpdate([new GlanceUpdateItem(glanceKey, content)]));
        db.AfterCommit(() => glances.Set(oAuthId, roomId, glanceKey, content));
    }

    // In HipChat's JSON, carrying the current trace so that its delivery continues it.
    private HipChatCall Record<T>(string oAuthId, long roomId, HipChatCallKind kind, T body)
    {
        var call = HipChatCall.Record(
            oAuthId, roomId, kind, JsonSerializer.Serialize(body, HipChatJson.Options), clock.GetUtcNow(),
            AddonTelemetry.CurrentTraceParent());
        db.HipChatCalls.Add(call);
        return call;
    }
}
