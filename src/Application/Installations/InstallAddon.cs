using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Domain.Installations;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.Installations;

/// <summary>HipChat's install callback: the add-on was installed in a room, or globally when <see cref="RoomId"/> is null.</summary>
public sealed record InstallAddonCommand(
    string OAuthId, string OAuthSecret, Uri? CapabilitiesUrl, long? GroupId, long? RoomId) : ICommand
{
    /// <summary>Leaves the secret out, so logging the command can never leak it.</summary>
    public override string ToString() =>
        $"{nameof(InstallAddonCommand)} {{ OAuthId = {OAuthId}, CapabilitiesUrl = {CapabilitiesUrl}, GroupId = {GroupId}, RoomId = {RoomId} }}";
}

public sealed class InstallAddonValidator : AbstractValidator<InstallAddonCommand>
{
    public InstallAddonValidator(IHipChatHosts hosts)
    {
        RuleFor(c => c.OAuthId).NotEmpty().MaximumLength(Installation.OAuthIdMaxLength)
            .Matches(@"^[A-Za-z0-9._-]+\z").WithMessage("'OAuth Id' may hold letters, digits, '.', '_' and '-' only.");
        RuleFor(c => c.OAuthSecret).NotEmpty().MaximumLength(Installation.OAuthSecretMaxLength);
        RuleFor(c => c.CapabilitiesUrl).NotNull();
        RuleFor(c => c.CapabilitiesUrl!)
            .Must(url => url.IsAbsoluteUri).WithMessage("'Capabilities Url' must be an absolute URL.")
            .Must(url => url.OriginalString.Length <= Installation.UrlMaxLength)
            .WithMessage($"'Capabilities Url' must be at most {Installation.UrlMaxLength} characters.")
            .Must(hosts.IsAllowed).WithMessage("'Capabilities Url' must be an https URL on an allowed HipChat host.")
            .When(c => c.CapabilitiesUrl is not null)
            .OverridePropertyName(nameof(InstallAddonCommand.CapabilitiesUrl));
        RuleFor(c => c.GroupId).GreaterThan(0);
        RuleFor(c => c.RoomId).GreaterThan(0);
    }
}

public sealed class InstallAddonHandler(
    IAddonStore store, IHipChatGateway hipChat, AddonLifecycle lifecycle, TimeProvider clock)
    : ICommandHandler<InstallAddonCommand>
{
    public async ValueTask<Unit> Handle(InstallAddonCommand command, CancellationToken cancellationToken)
    {
        // A known oauthId is re-installed only by its own HipChat; another is refused before it is even asked.
        (await store.FindInstallationAsync(command.OAuthId, cancellationToken))?.EnsureFrom(command.CapabilitiesUrl!);
        var endpoints = await hipChat.GetCapabilitiesAsync(command.CapabilitiesUrl!, cancellationToken);
        bool reinstalled;
        try
        {
            reinstalled = await StoreAsync(command, endpoints, cancellationToken);
        }
        catch (DuplicateException)
        {
            // HipChat retried the callback while the first one was being stored: apply this one over it.
            store.DiscardChanges();
            reinstalled = await StoreAsync(command, endpoints, cancellationToken);
        }

        await lifecycle.InstalledAsync(
            new InstallationChanged(command.OAuthId, command.GroupId ?? 0, command.RoomId, reinstalled), cancellationToken);
        return Unit.Value;
    }

    /// <summary>Stores the installation; true when it replaced an existing one.</summary>
    private async Task<bool> StoreAsync(InstallAddonCommand command, HipChatEndpoints endpoints, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var installation = await store.FindInstallationAsync(command.OAuthId, cancellationToken);
        installation?.EnsureFrom(endpoints.CapabilitiesUrl);
        await CredentialProof.ProveAndKeepTokenAsync(
            hipChat, store, endpoints.TokenUrl, command.OAuthId, command.OAuthSecret, now, cancellationToken);
        var groupId = command.GroupId ?? 0;
        if (installation is null)
        {
            store.AddInstallation(Installation.Create(
                command.OAuthId, command.OAuthSecret, groupId, command.RoomId, endpoints, now));
        }
        else
        {
            installation.Reinstall(command.OAuthSecret, groupId, command.RoomId, endpoints, now);
        }

        await store.SaveChangesAsync(cancellationToken);
        return installation is not null;
    }
}
