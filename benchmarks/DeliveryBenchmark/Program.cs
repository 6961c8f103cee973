using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CleanAddon.Application;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Notifications;
using CleanAddon.DeliveryBenchmark;
using CleanAddon.Domain.Installations;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Delivery throughput of the HipChat call worker: N notifications are recorded first, then the worker is started
// and timed until the HipChat emulator has accepted them all. Not a test; see benchmarks/README.md.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

await using var hipChat = await HipChatServer.StartAsync();
hipChat.TokenLifetime = options.TokenLifetime;
var sqliteFile = Path.Combine(Path.GetTempPath(), $"cleanaddon-benchmark-{Guid.NewGuid():N}.db");
var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:Provider"] = options.Provider,
    ["ConnectionStrings:Addon"] = options.ConnectionString ?? $"Data Source={sqliteFile}",
    ["HipChat:AllowedHosts:0"] = hipChat.Host,
});
// The add-on's own warnings (retries, dead letters) matter here; the framework's start-up chatter does not.
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft", LogLevel.None);
builder.Services.AddApplication().AddInfrastructure(builder.Configuration);
using var host = builder.Build();
await host.Services.InitializeDatabaseAsync(CancellationToken.None);

var installations = await SeedInstallationsAsync(host.Services, hipChat, options.Installations);
var sent = await RecordNotificationsAsync(host.Services, installations, options);

var clock = Stopwatch.StartNew();
await host.StartAsync();
while (hipChat.DeliveredNotifications.Count < options.Messages)
{
    await Task.Delay(100);
}

clock.Stop();
await host.StopAsync();

Report(options, clock.Elapsed, hipChat, installations, sent);
foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(sqliteFile) + "*"))
{
    File.Delete(file);
}

return 0;

static async Task<List<EmulatedInstallation>> SeedInstallationsAsync(IServiceProvider services, HipChatServer hipChat, int count)
{
    await using var scope = services.CreateAsyncScope();
    var store = scope.ServiceProvider.GetRequiredService<IAddonStore>();
    var endpoints = new HipChatEndpoints(hipChat.CapabilitiesUrl, hipChat.TokenUrl, hipChat.ApiUrl);
    var installations = Enumerable.Range(0, count).Select(_ => hipChat.CreateInstallation(roomId: null)).ToList();
    foreach (var installation in installations)
    {
        store.AddInstallation(Installation.Create(
            installation.OAuthId, installation.OAuthSecret, installation.GroupId, null, endpoints, DateTimeOffset.UtcNow));
    }

    await store.SaveChangesAsync(CancellationToken.None);
    return installations;
}

// Round-robin over installations and their rooms, committed a thousand at a time as webhooks would, one by one.
static async Task<Dictionary<(string OAuthId, long Room), List<string>>> RecordNotificationsAsync(
    IServiceProvider services, List<EmulatedInstallation> installations, BenchmarkOptions options)
{
    var sent = new Dictionary<(string, long), List<string>>();
    for (var first = 0; first < options.Messages; first += 1000)
    {
        await using var scope = services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IHipChatOutbox>();
        for (var i = first; i < Math.Min(first + 1000, options.Messages); i++)
        {
            var index = i % installations.Count;
            var installation = installations[index];
            var room = BenchmarkOptions.Room(index, (i / installations.Count) % options.RoomsPerInstallation);
            var text = string.Create(CultureInfo.InvariantCulture, $"benchmark {i}");
            outbox.SendRoomNotification(installation.OAuthId, room, new RoomNotification(text));
            var key = (installation.OAuthId, room);
            if (!sent.TryGetValue(key, out var texts))
            {
                sent[key] = texts = [];
            }

            texts.Add(text);
        }

        await scope.ServiceProvider.GetRequiredService<IAddonStore>().SaveChangesAsync(CancellationToken.None);
    }

    return sent;
}

static void Report(
    BenchmarkOptions options, TimeSpan elapsed, HipChatServer hipChat, List<EmulatedInstallation> installations,
    Dictionary<(string OAuthId, long Room), List<string>> sent)
{
    var delivered = hipChat.DeliveredNotifications;
    var messages = delivered.Select(c => JsonNode.Parse(c.Body)!["message"]!.GetValue<string>()).ToList();
    // Room numbers are unique per installation, so a path names one room of one installation.
    var inOrder = sent.All(room => delivered
        .Where(c => c.Path == $"/v2/room/{room.Key.Room}/notification")
        .Select(c => JsonNode.Parse(c.Body)!["message"]!.GetValue<string>())
        .SequenceEqual(room.Value));
    // A token serves lifetime - 60 s, so an installation whose deliveries span n such windows needs n requests.
    var window = options.TokenLifetime - TimeSpan.FromSeconds(60);
    var tokens = installations.Select((installation, index) =>
    {
        var paths = Enumerable.Range(0, options.RoomsPerInstallation)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"/v2/room/{BenchmarkOptions.Room(index, r)}/notification"))
            .ToHashSet(StringComparer.Ordinal);
        var own = delivered.Where(c => paths.Contains(c.Path)).ToList();
        var windows = (int)Math.Floor((own[^1].ReceivedAt - own[0].ReceivedAt) / window) + 1;
        return $"{hipChat.TokenRequestsFor(installation.OAuthId)}/{windows}";
    });

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        provider                 {options.Provider}
        installations x rooms    {options.Installations} x {options.RoomsPerInstallation}
        notifications            {options.Messages} ({messages.Distinct().Count()} distinct delivered, {delivered.Count} accepted calls)
        per-room order kept      {inOrder}
        elapsed                  {elapsed.TotalSeconds:F2} s
        throughput               {options.Messages / elapsed.TotalSeconds:F0} notifications/s
        token lifetime           {options.TokenLifetime.TotalSeconds:F0} s, so one token serves {window.TotalSeconds:F0} s
        token requests/windows   {string.Join(", ", tokens)} (per installation: requests / windows its deliveries spanned)
        """));
}
