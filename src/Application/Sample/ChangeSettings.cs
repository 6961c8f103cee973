using System.Text.Json.Serialization;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using FluentValidation;

namespace CleanAddon.Application.Sample;

/// <summary>What the configure page saves: how the installation echoes, and whether its glance follows.</summary>
public sealed record SettingsForm(
    [property: JsonPropertyName("echoPrefix")] string? EchoPrefix,
    [property: JsonPropertyName("color")] string? Color,
    [property: JsonPropertyName("glanceEnabled")] bool? GlanceEnabled);

public sealed class ChangeSettingsValidator : AbstractValidator<SettingsForm>
{
    public ChangeSettingsValidator()
    {
        RuleFor(f => f.EchoPrefix).NotEmpty().MaximumLength(InstallationSettings.EchoPrefixMaxLength);
        RuleFor(f => f.Color).NotEmpty().Must(color => InstallationSettings.Colors.Contains(color!))
            .WithMessage($"'Color' must be one of {string.Join(", ", InstallationSettings.Colors)}.");
    }
}

/// <summary>Settings are the installation's, whichever room the configure page was opened in.</summary>
public sealed class ChangeSettingsHandler(IAddonDbContext db) : IPageActionHandler<SettingsForm>
{
    public async ValueTask HandleAsync(
        SettingsForm form, PageActionContext context, CancellationToken cancellationToken)
    {
        var all = db.Set<InstallationSettings>();
        var settings = await all.FindAsync([context.OAuthId], cancellationToken);
        if (settings is null)
        {
            settings = InstallationSettings.Defaults(context.OAuthId);
            all.Add(settings);
        }

        settings.Change(form.EchoPrefix!, form.Color!, form.GlanceEnabled ?? true);
    }
}
