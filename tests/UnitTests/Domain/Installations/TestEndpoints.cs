using CleanAddon.Domain.Installations;

namespace CleanAddon.UnitTests.Domain.Installations;

internal static class TestEndpoints
{
    public static HipChatEndpoints Cloud { get; } = At("https://api.hipchat.com");

    public static HipChatEndpoints Server { get; } = At("https://hipchat.example.com");

    /// <summary>The cloud's own origin, with every endpoint on another path.</summary>
    public static HipChatEndpoints CloudMoved { get; } = new(
        new Uri("https://api.hipchat.com/v2.1/capabilities"),
        new Uri("https://api.hipchat.com/v2.1/oauth/token"),
        new Uri("https://api.hipchat.com/v2.1/"));

    private static HipChatEndpoints At(string origin) => new(
        new Uri($"{origin}/v2/capabilities"),
        new Uri($"{origin}/v2/oauth/token"),
        new Uri($"{origin}/v2/"));
}
