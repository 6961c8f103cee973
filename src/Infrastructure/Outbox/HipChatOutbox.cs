using System.Text.Json;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Notifications;
using CleanAddon.Domain.Outbox;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Telemetry;

namespace CleanAddon.Infrastructure.Outbox;

/// <summary>Records HipChat calls in the caller's unit of work; <see cref="OutboxDispatcher"/> delivers them.</summary>
internal sealed class HipChatOutbox(AddonDbContext db, TimeProvider clock) : IHipChatOutbox
{
    public void SendRoomNotification(string oAuthId, long roomId, RoomNotification notification) =>
        Record(oAuthId, roomId, OutboxKinds.RoomNotification, notification);

    public void SendRoomMessage(string oAuthId, long roomId, RoomMessage message) =>
        Record(oAuthId, roomId, OutboxKinds.RoomMessage, message);

    public void UpdateRoomGlance(string oAuthId, long roomId, string glanceKey, GlanceContent content) =>
        Record(oAuthId, roomId, OutboxKinds.RoomGlance, new GlanceUpdate([new GlanceUpdateItem(glanceKey, content)]));

    private void Record<T>(string oAuthId, long roomId, string kind, T body) =>
        db.Outbox.Add(OutboxEntries.Create(oAuthId, roomId, kind, body, clock));
}

/// <summary>Accepted webhooks wait in the outbox too: one durable queue, one dispatcher, one per-room order.</summary>
internal sealed class WebhookInbox(AddonDbContext db, TimeProvider clock) : IWebhookInbox
{
    public void Enqueue(QueuedWebhook webhook) =>
        db.Outbox.Add(OutboxEntries.Create(webhook.Caller.OAuthId, webhook.RoomId, OutboxKinds.Webhook, webhook, clock));
}

internal static class OutboxEntries
{
    /// <summary>A message in HipChat's JSON, carrying the current trace so its delivery continues it.</summary>
    public static OutboxMessage Create<T>(string oAuthId, long roomId, string kind, T body, TimeProvider clock) =>
        OutboxMessage.Record(
            oAuthId, roomId, kind, JsonSerializer.Serialize(body, HipChatJson.Options), clock.GetUtcNow(),
            AddonTelemetry.CurrentTraceParent());
}

internal static class OutboxKinds
{
    public const string RoomNotification = "room-notification";
    public const string RoomMessage = "room-message";
    public const string RoomGlance = "room-glance";
    public const string Webhook = "webhook";

    public static bool IsKnown(string kind) => kind is RoomNotification or RoomMessage or RoomGlance or Webhook;
}
