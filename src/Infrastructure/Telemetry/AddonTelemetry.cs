using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CleanAddon.Infrastructure.Telemetry;

/// <summary>
/// The add-on's own traces and metrics. A webhook's trace continues through the outbox: each recorded message keeps
/// the W3C trace context it was recorded in, and its delivery (and the HipChat call) is a child of it.
/// </summary>
public static class AddonTelemetry
{
    public const string Name = "CleanAddon";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> WebhooksAccepted = Meter.CreateCounter<long>(
        "cleanaddon.webhooks.accepted", description: "Webhooks acknowledged with 2xx.");

    private static readonly Counter<long> WebhooksRejected = Meter.CreateCounter<long>(
        "cleanaddon.webhooks.rejected", description: "Webhooks refused, by reason.");

    private static readonly Counter<long> WebhooksOverflowed = Meter.CreateCounter<long>(
        "cleanaddon.webhooks.overflowed",
        description: "Webhooks recorded as dead letters unhandled because their installation's queue was full.");

    private static readonly Counter<long> DeliveryAttempts = Meter.CreateCounter<long>(
        "cleanaddon.outbox.attempts", description: "Outbox deliveries attempted, by kind and outcome.");

    private static readonly Counter<long> TokenFetches = Meter.CreateCounter<long>(
        "cleanaddon.tokens.fetched", description: "Access tokens requested from HipChat.");

    private static long _outboxDepth;
    private static double _outboxOldestAgeSeconds;

    static AddonTelemetry()
    {
        Meter.CreateObservableGauge(
            "cleanaddon.outbox.depth", () => Interlocked.Read(ref _outboxDepth), description: "Messages waiting in the outbox.");
        Meter.CreateObservableGauge(
            "cleanaddon.outbox.oldest_age", () => Volatile.Read(ref _outboxOldestAgeSeconds), unit: "s",
            description: "Age of the oldest message waiting in the outbox.");
    }

    public static void WebhookAnswered(int status)
    {
        if (status is >= 200 and < 300)
        {
            WebhooksAccepted.Add(1);
            return;
        }

        WebhooksRejected.Add(1, new KeyValuePair<string, object?>("reason", status switch
        {
            400 => "invalid",
            401 => "unauthenticated",
            403 => "forbidden",
            404 => "unknown-webhook",
            413 => "too-large",
            415 => "not-json",
            429 => "rate-limited",
            _ => "error",
        }));
    }

    public static void WebhookOverflowed() => WebhooksOverflowed.Add(1);

    public static void DeliveryAttempted(string kind, string outcome) =>
        DeliveryAttempts.Add(1, new("kind", kind), new("outcome", outcome));

    public static void TokenFetched() => TokenFetches.Add(1);

    public static void OutboxObserved(long depth, TimeSpan oldestAge)
    {
        Interlocked.Exchange(ref _outboxDepth, depth);
        Volatile.Write(ref _outboxOldestAgeSeconds, oldestAge.TotalSeconds);
    }

    /// <summary>The trace context to keep with a recorded message: the current one, if any.</summary>
    public static string? CurrentTraceParent() => Activity.Current?.Id;

    /// <summary>A delivery span, child of the trace the message was recorded in.</summary>
    public static Activity? StartDelivery(string kind, long messageId, string? traceParent)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = Source.StartActivity($"outbox {kind}", ActivityKind.Internal, parent);
        activity?.SetTag("cleanaddon.outbox.kind", kind);
        activity?.SetTag("cleanaddon.outbox.message_id", messageId);
        return activity;
    }
}
