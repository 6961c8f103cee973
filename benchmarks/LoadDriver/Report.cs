using System.Globalization;

namespace CleanAddon.LoadDriver;

/// <summary>The table, then each target of issue 16 against what was measured: reported, never asserted.</summary>
internal static class Report
{
    private const double BytesPerMiB = 1024 * 1024;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(
        Baseline baseline, IReadOnlyList<AddonRun> runs, HipChatSink hipChat, DriverOptions options, string loadBefore,
        string loadAfter)
    {
        var post = baseline.Post.Max.RequestsPerSecond;
        var get = baseline.Get.Max.RequestsPerSecond;
        Console.WriteLine();
        Console.WriteLine(string.Create(
            Invariant,
            $"wrk -t1 -c{Wrk.Connections}, {options.Warmup.TotalSeconds:0} s warm-up, {options.Duration.TotalSeconds:0} s "
            + $"at full load, {options.Duration.TotalSeconds:0} s paced to half of that rate; one global installation, "
            + $"webhooks round-robin over {options.Rooms} rooms, a new message id on every request; HipChat is a bare "
            + $"Kestrel sink that counts what it receives. Latency in ms, memory in MB (10^6 bytes)."));
        Console.WriteLine(
            $"Machine load average (1 min): {loadBefore} before, {loadAfter} after ({Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine("| target | req/s | × bare Kestrel | p50 / p99 | half load: req/s, p50 / p99 | errors |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|");
        Row("bare Kestrel POST", baseline.Post, post);
        Row("bare Kestrel GET", baseline.Get, get);
        foreach (var run in runs)
        {
            Row($"{run.Database}: webhook, delivery running", run.Webhook, post);
            Row($"{run.Database}: webhook, accept alone (delivery off)", run.AcceptAlone, post);
            Row($"{run.Database}: glance", run.Glance, get);
        }

        Console.WriteLine();
        Console.WriteLine("| add-on | echoes at HipChat when the full load ended | seconds to deliver the rest | "
            + "CPU per webhook, all told | CPU per accept alone | start-up to ready, median (range) | idle RSS | peak RSS | token requests |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var run in runs)
        {
            var drain = run.Webhook.MaxDrain!;
            Console.WriteLine(string.Create(
                Invariant,
                $"| {run.Database} | {drain.AtEnd:N0} of {drain.Expected:N0} ({Share(drain):P1}) | {Rest(drain)} | "
                + $"{run.Webhook.CpuPerRequest.TotalMicroseconds:N0} µs | {run.AcceptAlone.CpuPerRequest.TotalMicroseconds:N0} µs | "
                + $"{run.StartUp.TotalSeconds:0.00} s ({run.StartUps.Min().TotalSeconds:0.00}–{run.StartUps.Max().TotalSeconds:0.00}) | {Megabytes(run.IdleMiB):0} | {Megabytes(run.PeakMiB):0} | {run.TokenRequests} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(
            Invariant,
            $"HipChat received {hipChat.Notifications:N0} echoes and {hipChat.GlanceUpdates:N0} glance updates: "
            + $"{hipChat.Duplicates} echoes twice, {hipChat.OutOfOrder} glance updates out of their room's order."));
        Console.WriteLine();
        Console.WriteLine("Targets (issue 16; reported, never asserted):");
        foreach (var run in runs)
        {
            var webhook = run.Webhook;
            var drain = webhook.MaxDrain!;
            Ratio($"{run.Database}: webhook accept, delivery running, >= 0.25x bare Kestrel POST", webhook, post, 0.25);
            Target($"{run.Database}: webhook p99 <= 20 ms at full load", webhook.Max.P99Ms <= 20, Ms(webhook.Max.P99Ms));
            Target($"{run.Database}: webhook p99 <= 5 ms at half load", webhook.Half!.P99Ms <= 5, Ms(webhook.Half.P99Ms));
            Ratio($"{run.Database}: webhook accept alone >= 0.5x bare Kestrel POST", run.AcceptAlone, post, 0.5);
            Target($"{run.Database}: CPU per webhook all told <= 250 µs",
                webhook.CpuPerRequest <= TimeSpan.FromMicroseconds(250), string.Create(Invariant, $"{webhook.CpuPerRequest.TotalMicroseconds:N0} µs"));
            Target($"{run.Database}: >= 90 % of echoes at HipChat when the load ended", Share(drain) >= 0.9,
                Share(drain).ToString("P1", Invariant));
            Target($"{run.Database}: the rest within 2 s", drain.Rest <= TimeSpan.FromSeconds(2), Rest(drain));
            Ratio($"{run.Database}: glance >= 0.5x bare Kestrel GET", run.Glance, get, 0.5);
            Target($"{run.Database}: idle RSS <= 100 MB", Megabytes(run.IdleMiB) <= 100, string.Create(Invariant, $"{Megabytes(run.IdleMiB):0} MB"));
            Target($"{run.Database}: peak RSS under load <= 180 MB", Megabytes(run.PeakMiB) <= 180,
                string.Create(Invariant, $"{Megabytes(run.PeakMiB):0} MB"));
        }

        if (runs.FirstOrDefault(run => run.Database == "SQLite") is { } sqlite)
        {
            Target("SQLite: start-up to ready <= 1 s", sqlite.StartUp <= TimeSpan.FromSeconds(1),
                string.Create(Invariant, $"{sqlite.StartUp.TotalSeconds:0.00} s (median of {sqlite.StartUps.Count} starts)"));
        }

        Target("every echo delivered once, every room in order", hipChat.Duplicates == 0 && hipChat.OutOfOrder == 0,
            string.Create(Invariant, $"{hipChat.Duplicates} duplicates, {hipChat.OutOfOrder} out of order"));
    }

    private static void Row(string label, Measurement measurement, double baseline)
    {
        var (max, half) = (measurement.Max, measurement.Half);
        var halfLoad = half is null ? "–" : string.Create(Invariant, $"{half.RequestsPerSecond:N0}, {half.P50Ms:0.00} / {half.P99Ms:0.00}");
        Console.WriteLine(string.Create(
            Invariant,
            $"| {label} | {max.RequestsPerSecond:N0} | {max.RequestsPerSecond / baseline:0.000} | "
            + $"{max.P50Ms:0.00} / {max.P99Ms:0.00} | {halfLoad} | {max.Errors + (half?.Errors ?? 0)} |"));
    }

    private static void Ratio(string target, Measurement measurement, double baseline, double wanted)
    {
        var ratio = measurement.Max.RequestsPerSecond / baseline;
        Target(target, ratio >= wanted, string.Create(Invariant, $"{ratio:0.000}x ({measurement.Max.RequestsPerSecond:N0} req/s)"));
    }

    private static double Share(DrainResult drain) => drain.Expected == 0 ? 1 : (double)drain.AtEnd / drain.Expected;

    private static string Rest(DrainResult drain) => drain.Rest is { } rest
        ? string.Create(Invariant, $"{rest.TotalSeconds:0.0} s")
        : string.Create(Invariant, $"not within the timeout: {drain.Arrived:N0} of {drain.Expected:N0} arrived");

    private static double Megabytes(double mebibytes) => mebibytes * BytesPerMiB / 1_000_000;

    private static string Ms(double milliseconds) => string.Create(Invariant, $"{milliseconds:0.00} ms");

    private static void Target(string target, bool met, string measured) =>
        Console.WriteLine($"  {(met ? "met   " : "MISSED")} {target}: {measured}");
}
