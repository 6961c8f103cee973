using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CleanAddon.Application.Installations;

/// <summary>
/// HipChat's token endpoint refused the installation's credentials: HipChat removed it without telling the add-on. It
/// is marked revoked, whatever it had waiting is dead-lettered, and — once that commits — lifecycle handlers hear of it
/// (<see cref="IAddonLifecycleHandler.OnAccessRevokedAsync"/>). A proven re-install lifts it. Answers false when it was
/// revoked already (another delivery or instance got there first) or is gone.
/// </summary>
public sealed record RevokeInstallationCommand(string OAuthId) : ICommand<bool>;

public sealed partial class RevokeInstallationHandler(
    IAddonStore store, AddonLifecycle lifecycle, TimeProvider clock, ILogger<RevokeInstallationHandler> logger)
    : ICommandHandler<RevokeInstallationCommand, bool>
{
    public const string Reason = "The installation was revoked: HipChat refused its credentials.";

    public async ValueTask<bool> Handle(RevokeInstallationCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var installation = await store.FindInstallationAsync(command.OAuthId, cancellationToken);
        if (installation is null || !installation.Revoke(now))
        {
            return false;
        }

        try
        {
            await store.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrentChangeException)
        {
            // Another instance revoked it at the same moment; it tells the handlers.
            return false;
        }

        var abandoned = await store.AbandonWaitingAsync(installation.OAuthId, Reason, now, cancellationToken);
        LogRevoked(installation.OAuthId, abandoned);
        await lifecycle.AccessRevokedAsync(
            new InstallationChanged(installation.OAuthId, installation.GroupId, installation.RoomId), cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HipChat refused the credentials of installation {OAuthId}: it was removed without telling the add-on, which stops sending for it ({Abandoned} waiting items dead-lettered)")]
    private partial void LogRevoked(string oAuthId, int abandoned);
}
