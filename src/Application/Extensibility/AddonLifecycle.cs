using Microsoft.Extensions.Logging;

namespace CleanAddon.Application.Extensibility;

/// <summary>Tells every <see cref="IAddonLifecycleHandler"/>; one failing does not stop the others or undo anything.</summary>
public sealed partial class AddonLifecycle(IEnumerable<IAddonLifecycleHandler> handlers, ILogger<AddonLifecycle> logger)
{
    public Task InstalledAsync(InstallationChanged installation, CancellationToken cancellationToken) =>
        RaiseAsync("installed", installation, (h, i, c) => h.OnInstalledAsync(i, c), cancellationToken);

    public Task UninstalledAsync(InstallationChanged installation, CancellationToken cancellationToken) =>
        RaiseAsync("uninstalled", installation, (h, i, c) => h.OnUninstalledAsync(i, c), cancellationToken);

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

    [LoggerMessage(Level = LogLevel.Error, Message = "{Handler} failed on the {LifecycleEvent} event of installation {OAuthId}")]
    private partial void LogHandlerFailed(Exception exception, string handler, string lifecycleEvent, string oAuthId);
}
