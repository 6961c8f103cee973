using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.Installations;

/// <summary>
/// HipChat sent the admin's browser to the uninstalled URL. The only trust anchor is the installable URL, which
/// names the installation and must lie on the installation's own HipChat; the browser then goes back to
/// <see cref="RedirectUrl"/>.
/// </summary>
public sealed record UninstallAddonCommand(Uri? InstallableUrl, Uri? RedirectUrl) : ICommand;

public sealed class UninstallAddonValidator : AbstractValidator<UninstallAddonCommand>
{
    public UninstallAddonValidator(IHipChatHosts hosts)
    {
        RuleFor(c => c.InstallableUrl)
            .Must(url => url is not null && hosts.IsAllowed(url)).WithMessage("'Installable Url' must be an https URL on an allowed HipChat host.");
        RuleFor(c => c.RedirectUrl)
            .Must(url => url is not null && hosts.IsAllowed(url)).WithMessage("'Redirect Url' must be an https URL on an allowed HipChat host.");
    }
}

public sealed class UninstallAddonHandler(IAddonStore store, IHipChatGateway hipChat, AddonLifecycle lifecycle)
    : ICommandHandler<UninstallAddonCommand>
{
    public async ValueTask<Unit> Handle(UninstallAddonCommand command, CancellationToken cancellationToken)
    {
        var oAuthId = await hipChat.GetInstalledOAuthIdAsync(command.InstallableUrl!, cancellationToken);
        var installation = oAuthId is null ? null : await store.FindInstallationAsync(oAuthId, cancellationToken);
        installation?.EnsureFrom(command.InstallableUrl!);
        if (installation is not null && await store.RemoveInstallationAsync(installation.OAuthId, cancellationToken))
        {
            await lifecycle.UninstalledAsync(
                new InstallationChanged(installation.OAuthId, installation.GroupId, installation.RoomId), cancellationToken);
        }

        return Unit.Value;
    }
}
