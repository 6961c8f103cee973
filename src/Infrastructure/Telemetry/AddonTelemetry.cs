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
        "cleanaddon.queue.attempts", description: "Queued items worked (handled or sent), by queue, kind and outcome.");

    private static readonly Counter<long> TokenFetches = Meter.CreateCounter<long>(
        "cleanaddon.tokens.fetched", description: "Access tokens requested from HipChat.");

    private static QueueObservation _webhooks = new(0, 0);
    private static QueueObservation _calls = new(0, 0);

    static AddonTelemetry()
    {
        Meter.CreateObservableGauge(
            "cleanaddon.queue.depth",
            () => Observe(observation => (double)observation.Depth),
            description: "Items waiting in a queue (webhooks for their handler, calls for HipChat).");
        Meter.CreateObservableGauge(
            "cleanaddon.queue.oldest_age",
            () => Observe(observation => observation.OldestAgeSeconds),
            unit: "s",
            description: "Age of the oldest item waiting in a queue.");
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

    public static void Worked(string queue, string kind, string outcome) =>
        DeliveryAttempts.Add(1, new("queue", queue), new("kind", kind), new("outcome", outcome));

    public static void TokenFetched() => TokenFetches.Add(1);

    public static void QueuesObserved(long webhooks, TimeSpan oldestWebhook, long calls, TimeSpan oldestCall)
    {
        Volatile.Write(ref _webhooks, new QueueObservation(webhooks, oldestWebhook.TotalSeconds));
        Volatile.Write(ref _calls, new QueueObservation(calls, oldestCall.TotalSeconds));
    }

    /// <summary>The trace context to keep with a recorded message: the current one, if any.</summary>
    public static string? CurrentTraceParent() => Activity.Current?.Id;

    /// <summary>The span of working a queued item, child of the trace the item was queued in.</summary>
    public static Activity? StartWork(string queue, string kind, long itemId, string? traceParent)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = Source.StartActivity($"{queue} {kind}", ActivityKind.Internal, parent);
        activity?.SetTag("cleanaddon.queue", queue);
        activity?.SetTag("cleanaddon.queue.kind", kind);
        activity?.SetTag("cleanaddon.queue.item_id", itemId);
        return activity;
    }

    private static IEnumerable<Measurement<double>> Observe(Func<QueueObservation, double> value) =>
    [
        new(value(Volatile.Read(ref _webhooks)), new KeyValuePair<string, object?>("queue", Queues.Webhooks)),
        new(value(Volatile.Read(ref _calls)), new KeyValuePair<string, object?>("queue", Queues.Calls)),
    ];

    /// <summary>The two queues' names in metrics and spans.</summary>
    public static class Queues
    {
        public const string Webhooks = "webhooks";
        public const string Calls = "calls";
    }

    private sealed record QueueObservation(long Depth, double OldestAgeSeconds);
}
