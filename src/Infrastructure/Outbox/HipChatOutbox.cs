using System.Text.Json;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Notifications;
using CleanAddon.Domain.Outbox;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Intake;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

/// <summary>
/// Accepted webhooks wait in the outbox too: one durable queue, one dispatcher, one per-room order. An installation
/// whose queue is full gets its webhook recorded as a dead letter: kept for an operator, never silently dropped.
/// </summary>
internal sealed partial class WebhookInbox(
    AddonDbContext db, TimeProvider clock, QueuedWork queued, IOptions<IntakeOptions> intake, ILogger<WebhookInbox> logger)
    : IWebhookInbox
{
    public void Enqueue(QueuedWebhook webhook)
    {
        var oAuthId = webhook.Caller.OAuthId;
        var message = OutboxEntries.Create(oAuthId, webhook.RoomId, OutboxKinds.Webhook, webhook, clock);
        var cap = intake.Value.MaxQueuedPerInstallation;
        if (!queued.TryAdd(oAuthId, cap))
        {
            message.Abandon(
                $"Not handled: the installation had {cap} messages waiting (Intake:MaxQueuedPerInstallation).",
                clock.GetUtcNow());
            AddonTelemetry.WebhookOverflowed();
            LogOverflowed(oAuthId, webhook.Key, cap);
        }

        db.Outbox.Add(message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Installation {OAuthId} has {Cap} messages waiting: webhook '{Key}' is recorded as a dead letter instead of queued")]
    private partial void LogOverflowed(string oAuthId, string key, int cap);
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
