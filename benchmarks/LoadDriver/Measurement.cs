using System.Text.Json.Nodes;

namespace CleanAddon.LoadDriver;

/// <summary>
/// One scenario: wrk's warm-up, full-load and (unless skipped) half-load runs, the server's CPU time per accepted
/// request at full load, and, where delivery was awaited, what reached HipChat after each run.
/// </summary>
internal sealed record Measurement(
    string Scenario,
    WrkResult Warmup,
    WrkResult Max,
    WrkResult? Half,
    TimeSpan CpuPerRequest,
    DrainResult? WarmupDrain,
    DrainResult? MaxDrain,
    DrainResult? HalfDrain);

/// <summary>
/// After a run: the echoes it caused, how many were at HipChat when the load ended, how many arrived in all, and the
/// time from the end of the load until every echo and glance update had arrived (null: not within the timeout).
/// </summary>
internal sealed record DrainResult(long Expected, long AtEnd, long Arrived, TimeSpan? Rest);

/// <summary>The bare Kestrel figures every ratio is taken against, measured in the same run.</summary>
internal sealed record Baseline(Measurement Post, Measurement Get);

/// <summary>What one add-on did: start-up (several starts), memory, token requests, and its three loads.</summary>
internal sealed record AddonRun(
    string Database,
    IReadOnlyList<TimeSpan> StartUps,
    double IdleMiB,
    double PeakMiB,
    int TokenRequests,
    Measurement Glance,
    Measurement Webhook,
    Measurement AcceptAlone)
{
    /// <summary>The median start: one start alone says more about what else the two cores did at that moment.</summary>
    public TimeSpan StartUp => StartUps.Order().ElementAt(StartUps.Count / 2);
}

/// <summary>The URLs the add-on's descriptor announces; the benchmark assumes none of them.</summary>
internal sealed record Modules(Uri InstallUrl, Uri WebhookUrl, Uri GlanceUrl)
{
    public static Modules Read(JsonObject descriptor)
    {
        var capabilities = descriptor["capabilities"]!;
        return new Modules(
            new Uri(capabilities["installable"]!["callbackUrl"]!.GetValue<string>()),
            new Uri(capabilities["webhook"]!.AsArray().First(w => w!["event"]!.GetValue<string>() == "room_message")!["url"]!
                .GetValue<string>()),
            new Uri(capabilities["glance"]!.AsArray()[0]!["queryUrl"]!.GetValue<string>()));
    }
}
