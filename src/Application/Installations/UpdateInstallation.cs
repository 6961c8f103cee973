using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Domain.Installations;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CleanAddon.Application.Installations;

/// <summary>
/// HipChat's update callback (descriptor <c>updateCallbackUrl</c>): an admin re-installed or updated the add-on and
/// the oauthId and secret stay the same. It carries no proof, so it may only refresh the endpoints from the
/// installation's own HipChat and re-prove the stored secret where it was proven before; it never moves the
/// installation to another room or changes its kind. Answers false when the installation is unknown.
/// </summary>
public sealed record UpdateInstallationCommand(string OAuthId, Uri? CapabilitiesUrl, long? RoomId) : ICommand<bool>;

public sealed class UpdateInstallationValidator : AbstractValidator<UpdateInstallationCommand>
{
    public UpdateInstallationValidator(IHipChatHosts hosts)
    {
        RuleFor(c => c.OAuthId).NotEmpty().MaximumLength(Installation.OAuthIdMaxLength);
        RuleFor(c => c.CapabilitiesUrl)
            .Must(url => url is not null && hosts.IsAllowed(url))
            .WithMessage("'Capabilities Url' must be an https URL on an allowed HipChat host.");
        RuleFor(c => c.RoomId).GreaterThan(0);
    }
}

public sealed partial class UpdateInstallationHandler(
    IAddonStore store, IHipChatGateway hipChat, TimeProvider clock, ILogger<UpdateInstallationHandler> logger)
    : ICommandHandler<UpdateInstallationCommand, bool>
{
    public async ValueTask<bool> Handle(UpdateInstallationCommand command, CancellationToken cancellationToken)
    {
        var installation = await store.FindInstallationAsync(command.OAuthId, cancellationToken);
        if (installation is null)
        {
            return false;
        }

        // Refused before HipChat is asked anything: each call would spend the installation's rate limit.
        installation.EnsureUpdatable(command.RoomId, command.CapabilitiesUrl!);
        var endpoints = await hipChat.GetCapabilitiesAsync(command.CapabilitiesUrl!, cancellationToken);
        var now = clock.GetUtcNow();
        installation.Refresh(command.RoomId, endpoints, now);
        await CredentialProof.ProveAndKeepTokenAsync(
            hipChat, store, installation.TokenUrl, installation.OAuthId, installation.OAuthSecret, now, cancellationToken);
        await store.SaveChangesAsync(cancellationToken);
        var scope = AddonLifecycle.Scope(installation.RoomId);
        LogUpdated(installation.OAuthId, installation.GroupId, scope);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Installation {OAuthId} re-installed through the update callback: group {GroupId}, {Scope}")]
    private partial void LogUpdated(string oAuthId, long groupId, string scope);
}
