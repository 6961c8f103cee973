using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Behaviors;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.Sample;

/// <summary>The configure page saved: how the installation echoes, and whether its glance follows.</summary>
public sealed record ChangeSettingsCommand(HipChatCaller Caller, string? EchoPrefix, string? Color, bool GlanceEnabled)
    : ICommand, IInstallationMessage
{
    /// <summary>Settings are the installation's, whichever room the page was opened in.</summary>
    public long? RoomId => null;
}

public sealed class ChangeSettingsValidator : AbstractValidator<ChangeSettingsCommand>
{
    public ChangeSettingsValidator()
    {
        RuleFor(c => c.EchoPrefix).NotEmpty().MaximumLength(InstallationSettings.EchoPrefixMaxLength);
        RuleFor(c => c.Color).NotEmpty().Must(color => InstallationSettings.Colors.Contains(color!))
            .WithMessage($"'Color' must be one of {string.Join(", ", InstallationSettings.Colors)}.");
    }
}

public sealed class ChangeSettingsHandler(IAddonDbContext db, IAddonStore store) : ICommandHandler<ChangeSettingsCommand>
{
    public async ValueTask<Unit> Handle(ChangeSettingsCommand command, CancellationToken cancellationToken)
    {
        var oAuthId = command.Caller.OAuthId;
        var all = db.Set<InstallationSettings>();
        var settings = await all.FindAsync([oAuthId], cancellationToken);
        if (settings is null)
        {
            settings = InstallationSettings.Defaults(oAuthId);
            all.Add(settings);
        }

        settings.Change(command.EchoPrefix!, command.Color!, command.GlanceEnabled);
        await store.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
