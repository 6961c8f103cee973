using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace CleanAddon.Api;

/// <summary>
/// The one line an operator reads to know what started: where HipChat installs it from, what it stores in, and whom
/// it trusts.
/// </summary>
internal static partial class StartupReport
{
    public static void LogStartup(this WebApplication app)
    {
        var services = app.Services;
        var descriptor = services.GetRequiredService<IOptions<AddonOptions>>().Value.Url(AddonRoutes.Descriptor);
        var store = services.DescribeStore();
        var hosts = string.Join(", ", services.GetRequiredService<IOptions<HipChatOptions>>().Value.AllowedHosts);
        LogStartup(app.Logger, descriptor, store, hosts);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "CleanAddon descriptor: {DescriptorUrl}; store: {Store}; allowed HipChat hosts: {AllowedHosts}")]
    private static partial void LogStartup(ILogger logger, string descriptorUrl, string store, string allowedHosts);
}
