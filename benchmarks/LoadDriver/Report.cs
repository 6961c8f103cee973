using System.Globalization;
using CleanAddon.HipChatEmulator;

namespace CleanAddon.LoadDriver;

/// <summary>The tables, then each target against what was measured: reported, never asserted.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(
        IReadOnlyList<Measurement> measurements,
        IReadOnlyList<AddonRun> runs,
        HipChatServer hipChat,
        DriverOptions options,
        string loadBefore,
        string loadAfter,
        TimeSpan drainWindow)
    {
        var baseline = measurements[0].Max.RequestsPerSecond;
        Console.WriteLine();
        Console.WriteLine(string.Create(Invariant,
            $"wrk -t1 -c{Wrk.Connections}, {options.Warmup.TotalSeconds:0} s warm-up, "
            + $"{options.Duration.TotalSeconds:0} s per run; half load: paced to half of the full-load rate; "
            + $"latency in ms; CPU/req: the server's CPU time per request at full load"));
        Console.WriteLine(
            $"Machine load average (1 min): {loadBefore} before, {loadAfter} after ({Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine(
            "| scenario | req/s | p50 | p99 | vs baseline | CPU/req | half load req/s | p50 | p99 | errors |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var (scenario, _, max, half, cpu) in measurements)
        {
            Console.WriteLine(string.Create(Invariant,
                $"| {scenario} | {max.RequestsPerSecond:N0} | {max.P50Ms:0.00} | {max.P99Ms:0.00} | "
                + $"{max.RequestsPerSecond / baseline:P0} | {cpu.TotalMicroseconds:N0} µs | {half.RequestsPerSecond:N0} | "
                + $"{half.P50Ms:0.00} | {half.P99Ms:0.00} | {max.Errors + half.Errors} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(Invariant,
            $"| add-on | start-up to ready | idle RSS | peak RSS | token requests | webhooks accepted "
            + $"| handled: under load + {drainWindow.TotalSeconds:0} s after | echoes delivered: under load + after |"));
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var run in runs)
        {
            Console.WriteLine(string.Create(Invariant,
                $"| {run.Provider} | {run.StartUp.TotalSeconds:0.00} s | {run.IdleMiB:0} MiB | {run.PeakMiB:0} MiB | "
                + $"{hipChat.TokenRequestsFor(run.OAuthId)} | {run.WebhooksAccepted:N0} | "
                + $"{run.Handled.UnderLoad:N0} + {run.Handled.After:N0} | {run.Echoed.UnderLoad:N0} + {run.Echoed.After:N0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Targets (reported, not asserted):");
        foreach (var webhook in measurements.Where(m => m.Scenario.Contains("webhook", StringComparison.Ordinal)))
        {
            var ratio = webhook.Max.RequestsPerSecond / baseline;
            Target($"{webhook.Scenario}: >= 50 % of baseline req/s", ratio >= 0.5, ratio.ToString("P0", Invariant));
        }

        foreach (var measurement in measurements.Skip(1))
        {
            Target($"{measurement.Scenario}: p99 < 10 ms at half load", measurement.Half.P99Ms < 10,
                $"{measurement.Half.P99Ms.ToString("0.00", Invariant)} ms");
        }

        foreach (var run in runs)
        {
            var tokens = hipChat.TokenRequestsFor(run.OAuthId);
            Target($"{run.Provider}: one token request per installation per expiry window ({hipChat.TokenLifetime.TotalHours:0} h)",
                tokens == 1, tokens.ToString(Invariant));
            Target($"{run.Provider}: idle RSS < 150 MB", run.IdleMiB * 1.048576 < 150,
                $"{run.IdleMiB * 1.048576:0} MB");
        }

        var sqlite = runs[0];
        Target("SQLite: start-up < 2 s", sqlite.StartUp < TimeSpan.FromSeconds(2),
            $"{sqlite.StartUp.TotalSeconds.ToString("0.00", Invariant)} s");
    }

    private static void Target(string target, bool met, string measured) =>
        Console.WriteLine($"  {(met ? "met   " : "MISSED")} {target}: {measured}");
}
