using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.LoadDriver;

// Drives a bare Kestrel baseline and the add-on with wrk, the way HipChat loads an add-on, and prints one table;
// see benchmarks/README.md.
// Usage: LoadDriver --addon <CleanAddon.Api.dll> --baseline <CleanAddon.Baseline.dll> --work <dir>
//                   [--postgres <server connection string>] [--warmup <s>] [--duration <s>] [--rooms <n>]
//                   [--trace perf]
var options = DriverOptions.Parse(args);
using var stop = new CancellationTokenSource();

// Ctrl+C or a kill: stop measuring; every server and wrk started here is ended on the way out.
void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

Directory.CreateDirectory(options.Work);
const string Sender = "4979430";

// Starts of the add-on per database whose median is reported: the full-load one and those before it.
const int StartUps = 3;
var loadBefore = LoadAverage();
await using var hipChat = await HipChatSink.StartAsync(stop.Token);
var runs = new List<AddonRun>();
Baseline baseline;
try
{
    Console.WriteLine("baseline: bare Kestrel");
    await using (var kestrel = await ServerProcess.StartAsync(
        options.Baseline, _ => [], "/", Path.Combine(options.Work, "baseline.log"), profiled: false, stop.Token))
    {
        var oAuthId = Guid.NewGuid().ToString();
        var webhookScript = WebhookScript(oAuthId, Rooms(9000, oAuthId, "secret"));
        baseline = new Baseline(
            await MeasureAsync("baseline POST", kestrel, kestrel.Address, webhookScript, drain: null, traced: false),
            await MeasureAsync("baseline GET", kestrel, kestrel.Address, Get, drain: null, traced: false));
    }

    long roomBase = 1000;
    foreach (var database in options.Databases())
    {
        roomBase += 1000;
        runs.Add(await RunAddonAsync(database, roomBase));
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped.");
    return 130;
}

Report.Print(baseline, runs, hipChat, options, loadBefore, LoadAverage());
return 0;

// One add-on process as operators run it, loaded as HipChat loads it, then (once it has stopped) a second one with
// delivery switched off.
async Task<AddonRun> RunAddonAsync(Database database, long roomBase)
{
    Console.WriteLine($"add-on on {database.Label}");
    var startUps = new List<TimeSpan>();
    for (var start = 1; start < StartUps; start++)
    {
        await using var started = await StartProcessAsync(database, $"start{start}", worker: true);
        startUps.Add(started.StartUp);
    }

    var (addon, idle, installation, modules) = await StartAddonAsync(database, "full", worker: true);
    startUps.Add(addon.StartUp);
    Measurement glance, webhook;
    double peak;
    await using (addon)
    {
        var rooms = Rooms(roomBase, installation.OAuthId, installation.OAuthSecret);
        glance = await MeasureAsync(
            $"{database.Label}: glance", addon, new Uri($"{modules.GlanceUrl}?signed_request={rooms[0].Jwt}"), Get, drain: null);
        var delivered = new Delivered(hipChat);
        webhook = await MeasureAsync(
            $"{database.Label}: webhook", addon, modules.WebhookUrl, WebhookScript(installation.OAuthId, rooms), delivered);
        (_, peak) = addon.Memory();
    }

    Console.WriteLine($"add-on on {database.Label}, delivery switched off");
    var (acceptOnly, _, acceptInstallation, acceptModules) = await StartAddonAsync(database, "accept", worker: false);
    await using (acceptOnly)
    {
        var acceptRooms = Rooms(roomBase + 500, acceptInstallation.OAuthId, acceptInstallation.OAuthSecret);
        var accept = await MeasureAsync(
            $"{database.Label}: webhook, accept alone", acceptOnly, acceptModules.WebhookUrl,
            WebhookScript(acceptInstallation.OAuthId, acceptRooms), drain: null, halfLoad: false);
        return new AddonRun(
            database.Label, startUps, idle, peak, hipChat.TokenRequestsFor(installation.OAuthId), glance, webhook,
            accept);
    }
}

// An add-on process on a fresh database of its own, once it is ready.
Task<ServerProcess> StartProcessAsync(Database database, string purpose, bool worker)
{
    IEnumerable<string> Arguments(Uri address) =>
    [
        $"--Addon:BaseUrl={address.GetLeftPart(UriPartial.Authority)}",
        "--HipChat:AllowedHosts:0=localhost",
        $"--Database:Provider={database.Provider}",
        $"--ConnectionStrings:Addon={database.ConnectionString(purpose)}",
        $"--Worker:Enabled={worker}",

        // One installation sends the whole load: lift its intake limits, which exist to stop exactly that.
        "--Intake:WebhooksPerMinute=60000000",
        "--Intake:WebhookBurst=10000000",
        "--Intake:MaxQueuedPerInstallation=100000000",
    ];
    return ServerProcess.StartAsync(
        options.Addon, Arguments, "/health/ready", Path.Combine(options.Work, $"addon-{database.Provider}-{purpose}.log"),
        options.Trace is not null, stop.Token);
}

async Task<(ServerProcess Addon, double IdleMiB, EmulatedInstallation Installation, Modules Modules)> StartAddonAsync(
    Database database, string purpose, bool worker)
{
    var addon = await StartProcessAsync(database, purpose, worker);
    try
    {
        await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
        var idle = addon.Memory().Current;
        using var http = new HttpClient { BaseAddress = addon.Address };
        var modules = Modules.Read(await http.GetFromJsonAsync<JsonObject>("/capabilities.json", stop.Token)
            ?? throw new InvalidOperationException("The add-on served no descriptor."));

        // A global installation, as a busy HipChat group has: every room's webhooks arrive under one installation.
        var installation = new EmulatedInstallation(
            Guid.NewGuid().ToString(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)), hipChat.CapabilitiesUrl, 1,
            null);
        using var installed = await http.PostAsJsonAsync(modules.InstallUrl, installation.ToCallbackBody(), stop.Token);
        installed.EnsureSuccessStatusCode();
        return (addon, idle, installation, modules);
    }
    catch
    {
        await addon.DisposeAsync();
        throw;
    }
}

// One JWT per room for the whole run, as HipChat reuses one within its lifetime; 15 minutes outlast the run.
IReadOnlyList<(long Room, string Jwt)> Rooms(long roomBase, string oAuthId, string secret) =>
[
    .. Enumerable.Range(1, options.Rooms).Select(i => (roomBase + i, HipChatJwt.Sign(
        HipChatJwt.Header(),
        HipChatJwt.Payload(oAuthId, Sender, roomBase + i, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(15)),
        secret))),
];

Func<string, double?, string> WebhookScript(string oAuthId, IReadOnlyList<(long Room, string Jwt)> rooms) =>
    (name, rate) => LuaScripts.Webhook(
        options.Work, name, HipChatWebhooks.RoomMessage(
            new EmulatedInstallation(oAuthId, "", hipChat.CapabilitiesUrl, 1, null), 1, "load", senderId: Sender),
        rooms, rate);

string Get(string name, double? rate) => LuaScripts.Get(options.Work, name, rate);

// Warm-up, a run at full load, then one paced at half of the rate the full-load run reached. With a drain, each run
// is followed by waiting until HipChat has every echo and glance update it caused, and the full-load run's CPU time
// covers that wait too: the add-on's CPU per webhook all told.
async Task<Measurement> MeasureAsync(
    string scenario, ServerProcess server, Uri url, Func<string, double?, string> script, Delivered? drain,
    bool halfLoad = true, bool traced = true)
{
    var slug = new string([.. scenario.Where(char.IsAsciiLetterOrDigit)]).ToLowerInvariant();
    var flat = script($"{slug}.lua", null);
    Console.WriteLine($"  {scenario}");
    var warmup = await Wrk.RunAsync(url, flat, options.Warmup, [$"{slug}-warmup"], stop.Token);
    var warmupDrain = drain is null ? null : await drain.WaitAsync(warmup.Accepted, options.DrainTimeout, stop.Token);

    var cpu = server.CpuTime();
    var profile = options.Trace is not null && traced
        ? CpuProfile.Start(options.Trace, server, slug, DriverOptions.Profiles)
        : null;
    var max = await Wrk.RunAsync(url, flat, options.Duration, [$"{slug}-max"], stop.Token);
    if (profile is not null)
    {
        await profile.StopAsync(max.Accepted);
    }

    var maxDrain = drain is null ? null : await drain.WaitAsync(max.Accepted, options.DrainTimeout, stop.Token);
    var cpuPerRequest = (server.CpuTime() - cpu) / Math.Max(1, max.Accepted);

    var half = (WrkResult?)null;
    var halfDrain = (DrainResult?)null;
    if (halfLoad)
    {
        var paced = script($"{slug}-half.lua", max.RequestsPerSecond / 2);
        half = await Wrk.RunAsync(url, paced, options.Duration, [$"{slug}-half"], stop.Token);
        halfDrain = drain is null ? null : await drain.WaitAsync(half.Accepted, options.DrainTimeout, stop.Token);
    }

    return new Measurement(scenario, warmup, max, half, cpuPerRequest, warmupDrain, maxDrain, halfDrain);
}

// The machine is shared: its 1-minute load average before and after says how much else ran meanwhile.
static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

/// <summary>Counts what reached HipChat since the last wait, so each run's echoes are told apart.</summary>
internal sealed class Delivered(HipChatSink hipChat)
{
    private long _notifications = hipChat.Notifications;

    /// <summary>
    /// How many of <paramref name="expected"/> echoes were at HipChat when the load ended, and how long the rest took
    /// (the echoes, and every room's last glance update), or null when they did not all arrive within
    /// <paramref name="timeout"/>.
    /// </summary>
    public async Task<DrainResult> WaitAsync(long expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var atEnd = hipChat.Notifications - _notifications;
        var clock = Stopwatch.StartNew();
        while ((hipChat.Notifications - _notifications < expected || !hipChat.GlancesCaughtUp) && clock.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }

        var drained = hipChat.Notifications - _notifications >= expected && hipChat.GlancesCaughtUp;
        var result = new DrainResult(
            expected, Math.Min(atEnd, expected), hipChat.Notifications - _notifications, drained ? clock.Elapsed : null);

        // wrk counts no response that was still on its way when the run ended, but the add-on accepted those requests
        // too: their echoes are this run's, not the next run's.
        _notifications = hipChat.Notifications;
        return result;
    }
}
