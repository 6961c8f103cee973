using CleanAddon.Infrastructure.HipChat;
using Microsoft.Extensions.Options;

namespace CleanAddon.UnitTests.Infrastructure.HipChat;

internal static class AllowedHosts
{
    /// <summary>HipChat cloud and the loopback emulator, as the integration tests configure them.</summary>
    public static HipChatHosts Default { get; } = Of("api.hipchat.com", "localhost");

    public static HipChatHosts Of(params string[] hosts)
    {
        var options = new HipChatOptions();
        foreach (var host in hosts)
        {
            options.AllowedHosts.Add(host);
        }

        return new HipChatHosts(Options.Create(options));
    }
}
