using Microsoft.Extensions.Logging;

namespace CleanAddon.Application.Extensibility;

/// <summary>Tells every <see cref="IAddonLifecycleHandler"/>; one failing does not stop the others or undo anything.</summary>
public sealed partial class AddonLifecycle(IEnumerable<IAddonLifecycleHandler> handlers, ILogger<AddonLifecycle> logger)
{
    public Task InstalledAsync(InstallationChanged installation, CancellationToken cancellationToken)
    {
        var scope = Scope(installation);
        if (installation.Reinstalled)
        {
            LogReinstalled(installation.OAuthId, installation.GroupId, scope);
        }
        else
        {
            LogInstalled(installation.OAuthId, installation.GroupId, scope);
        }

        return RaiseAsync("installed", installation, (h, i, c) => h.OnInstalledAsync(i, c), cancellationToken);
    }

    public Task UninstalledAsync(InstallationChanged installation, CancellationToken cancellationToken)
    {
        var scope = Scope(installation);
        LogUninstalled(installation.OAuthId, installation.GroupId, scope);
        return RaiseAsync("uninstalled", installation, (h, i, c) => h.OnUninstalledAsync(i, c), cancellationToken);
    }

    public Task AccessRevokedAsync(InstallationChanged installation, CancellationToken cancellationToken) =>
        RaiseAsync("access-revoked", installation, (h, i, c) => h.OnAccessRevokedAsync(i, c), cancellationToken);

    private async Task RaiseAsync(
        string lifecycleEvent,
        InstallationChanged installation,
        Func<IAddonLifecycleHandler, InstallationChanged, CancellationToken, ValueTask> raise,
        CancellationToken cancellationToken)
    {
        foreach (var handler in handlers)
        {
            try
            {
                await raise(handler, installation, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogHandlerFailed(exception, handler.GetType().Name, lifecycleEvent, installation.OAuthId);
            }
        }
    }

    /// <summary>Where the installation applies, for the logs: its room, or every room of the group.</summary>
    internal static string Scope(long? roomId) => roomId is { } room ? $"room {room}" : "the whole group";

    private static string Scope(InstallationChanged installation) => Scope(installation.RoomId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Installation {OAuthId} installed: group {GroupId}, {Scope}")]
    private partial void LogInstalled(string oAuthId, long groupId, string scope);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Installation {OAuthId} re-installed with proven credentials: group {GroupId}, {Scope}")]
    private partial void LogReinstalled(string oAuthId, long groupId, string scope);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Installation {OAuthId} uninstalled: group {GroupId}, {Scope}")]
    private partial void LogUninstalled(string oAuthId, long groupId, string scope);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Handler} failed on the {LifecycleEvent} event of installation {OAuthId}")]
    private partial void LogHandlerFailed(Exception exception, string handler, string lifecycleEvent, string oAuthId);
}
