using System.Net.Http.Json;
using System.Runtime.InteropServices;
using CleanAddon.HipChatEmulator;
using CleanAddon.LoadDriver;

// Drives a bare Kestrel baseline and the add-on with wrk and prints one table; see benchmarks/README.md.
// Usage: LoadDriver --addon <CleanAddon.Api.dll> --baseline <CleanAddon.Baseline.dll> --work <dir>
//                   [--postgres <connection string>] [--warmup <s>] [--duration <s>]
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
var drainWindow = TimeSpan.FromSeconds(10);
var loadBefore = LoadAverage();
await using var hipChat = await HipChatServer.StartAsync(cancellationToken: stop.Token);
var measurements = new List<Measurement>();
var runs = new List<AddonRun>();
try
{
    Console.WriteLine("baseline: Kestrel hello world");
    await using (var baseline = await ServerProcess.StartAsync(
        options.Baseline, [], "/", Path.Combine(options.Work, "baseline.log"), stop.Token))
    {
        measurements.Add(await MeasureAsync("baseline: Kestrel hello world", baseline, baseline.Address, Get));
    }

    long room = 1000;
    foreach (var (provider, connectionString) in options.Providers())
    {
        runs.Add(await RunAddonAsync(provider, connectionString, ++room));
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped.");
    return 130;
}

Report.Print(measurements, runs, hipChat, options, loadBefore, LoadAverage(), drainWindow);
return 0;

// Start-up, idle memory, the install into the emulator, the three scenarios, peak memory.
async Task<AddonRun> RunAddonAsync(string provider, string connectionString, long room)
{
    var label = provider == "Postgres" ? "PostgreSQL" : "SQLite";
    Console.WriteLine($"add-on on {label}");
    // One installation sends the whole load: lift its intake limits, which exist to stop exactly that.
    string[] arguments =
    [
        "--HipChat:AllowedHosts:0=localhost",
        $"--Database:Provider={provider}",
        $"--ConnectionStrings:Addon={connectionString}",
        "--Intake:WebhooksPerMinute=60000000",
        "--Intake:WebhookBurst=10000000",
        "--Intake:MaxQueuedPerInstallation=100000000",
    ];
    await using var addon = await ServerProcess.StartAsync(
        options.Addon, arguments, "/health/ready", Path.Combine(options.Work, $"addon-{provider}.log"), stop.Token);
    await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
    var idle = addon.Memory().Current;

    var installation = hipChat.CreateInstallation(roomId: room);
    using (var http = new HttpClient { BaseAddress = addon.Address })
    {
        using var installed = await http.PostAsJsonAsync("/installed", installation.ToCallbackBody(), stop.Token);
        installed.EnsureSuccessStatusCode();
    }

    // One JWT for the whole run, as HipChat reuses one within its lifetime; 15 minutes outlast the run.
    var jwt = HipChatServer.SignJwt(installation, room);
    measurements.Add(await MeasureAsync(
        $"{label}: descriptor", addon, new Uri(addon.Address, "/capabilities.json"), Get));
    measurements.Add(await MeasureAsync(
        $"{label}: glance with JWT", addon, new Uri(addon.Address, $"/glances/sample-glance?signed_request={jwt}"), Get));
    var webhook = await MeasureAsync(
        $"{label}: webhook accepted (204)", addon, new Uri(addon.Address, "/webhooks/echo"), (name, rate) =>
            LuaScripts.Webhook(options.Work, name, HipChatWebhooks.RoomMessage(installation, room, "load"), jwt, rate));
    measurements.Add(webhook);

    // Accepted webhooks wait in the durable queue for the echo handler, which counts them in the room (the glance
    // shows the count): how many it handled under load, and in the idle seconds after.
    var glance = new Uri(addon.Address, $"/glances/sample-glance?signed_request={jwt}");
    // Each handled webhook sends an echo, which the dispatcher delivers to the emulator in turn.
    var handled = await HandledAsync(glance);
    var echoed = Echoes(room);
    await Task.Delay(drainWindow, stop.Token);
    return new AddonRun(
        label, addon.StartUp, idle, addon.Memory().Peak, installation.OAuthId,
        webhook.Warmup.Requests + webhook.Max.Requests + webhook.Half.Requests,
        new Progress(handled, await HandledAsync(glance) - handled),
        new Progress(echoed, Echoes(room) - echoed));
}

int Echoes(long room) => hipChat.Notifications.Count(c => c.Path.Contains($"/room/{room}/", StringComparison.Ordinal));

async Task<long> HandledAsync(Uri glance)
{
    using var http = new HttpClient();
    var label = await http.GetStringAsync(glance, stop.Token);
    return SampleGlance.Echoes(label);
}

string Get(string name, double? rate) => LuaScripts.Get(options.Work, name, rate);

// Warm-up, a run at full load, then one paced at half of the rate the full-load run reached.
async Task<Measurement> MeasureAsync(string scenario, ServerProcess server, Uri url, Func<string, double?, string> script)
{
    var slug = new string([.. scenario.Where(char.IsAsciiLetterOrDigit)]).ToLowerInvariant();
    var flat = script($"{slug}.lua", null);
    Console.WriteLine($"  {scenario}");
    var warmup = await Wrk.RunAsync(url, flat, options.Warmup, [$"{slug}-warmup"], stop.Token);
    var cpu = server.CpuTime();
    var max = await Wrk.RunAsync(url, flat, options.Duration, [$"{slug}-max"], stop.Token);
    var cpuPerRequest = (server.CpuTime() - cpu) / Math.Max(1, max.Requests);
    var paced = script($"{slug}-half.lua", max.RequestsPerSecond / 2);
    var half = await Wrk.RunAsync(url, paced, options.Duration, [$"{slug}-half"], stop.Token);
    return new Measurement(scenario, warmup, max, half, cpuPerRequest);
}

// The machine is shared: its 1-minute load average before and after says how much else ran meanwhile.
static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
