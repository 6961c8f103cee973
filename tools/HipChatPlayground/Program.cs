namespace CleanAddon.HipChatPlayground;

// Not top-level statements: those make a global public Program, which would clash with the add-on's in the tests.
internal static class Program
{
    public static async Task Main(string[] args)
    {
        await using var playground = PlaygroundApp.Create(args);
        var addonUrl = new Uri(playground.App.Configuration[LocalAddon.UrlKey] ?? LocalAddon.DefaultUrl);
        await using var addon = await LocalAddon.StartUnlessRunningAsync(
            addonUrl, playground.App.Services.GetRequiredService<ILogger<LocalAddon>>());
        await playground.App.RunAsync();
    }
}
