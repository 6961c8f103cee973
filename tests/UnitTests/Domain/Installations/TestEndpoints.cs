using CleanAddon.Domain.Installations;

namespace CleanAddon.UnitTests.Domain.Installations;

internal static class TestEndpoints
{
    public static HipChatEndpoints Cloud { get; } = At("https://api.hipchat.com");

    public static HipChatEndpoints Server { get; } = At("https://hipchat.example.com");

    private static HipChatEndpoints At(string origin) => new(
        new Uri($"{origin}/v2/capabilities"),
        new Uri($"{origin}/v2/oauth/token"),
        new Uri($"{origin}/v2/"));
}
