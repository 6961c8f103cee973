using CleanAddon.Application.Extensibility;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CleanAddon.Api.Descriptor;

[ApiController]
public sealed class DescriptorController(DescriptorBuilder descriptor) : ControllerBase
{
    [HttpGet(AddonRoutes.Descriptor)]
    [HttpGet(AddonRoutes.DescriptorAlias)]
    public AddonDescriptor Get() => descriptor.Descriptor;
}

/// <summary>Builds the descriptor once, from configuration and the declared capabilities; never hand-edited JSON.</summary>
public sealed class DescriptorBuilder(IOptions<AddonOptions> options, AddonModules modules)
{
    private const string Jwt = "jwt";

    private readonly Lazy<AddonDescriptor> _descriptor = new(() => Build(options.Value, modules));

    public AddonDescriptor Descriptor => _descriptor.Value;

    public static AddonDescriptor Build(AddonOptions addon, AddonModules modules)
    {
        var icon = new Icon(addon.Url(AddonRoutes.Icon), addon.Url(AddonRoutes.Icon2x));
        var configure = modules.Pages.FirstOrDefault(p => p.Kind == PageKind.Configurable);
        return new AddonDescriptor(
            addon.Key,
            addon.Name,
            addon.Description,
            "1:1",
            new DescriptorLinks(addon.Url(AddonRoutes.Descriptor), addon.BaseUrl.OriginalString + "/"),
            new DescriptorVendor(addon.VendorName, addon.VendorUrl.OriginalString),
            new DescriptorCapabilities(
                new ApiConsumer(addon.FromName, ["send_notification", "view_room"]),
                new Installable(
                    true,
                    true,
                    addon.Url(AddonRoutes.Installed),
                    addon.Url(AddonRoutes.UpdateInstallation),
                    addon.Url(AddonRoutes.Uninstalled)),
                NullIfEmpty(modules.Webhooks.Select(w => new WebhookModule(
                    w.Key, w.Name, w.Event, w.Pattern?.ToString(), addon.Url(AddonRoutes.WebhookOf(w.Key)), Jwt))),
                NullIfEmpty(modules.Glances.Select(g => new GlanceModule(
                    g.Key, new I18nText(g.Name), icon, addon.Url(AddonRoutes.GlanceOf(g.Key)), g.Target))),
                NullIfEmpty(modules.Pages.Where(p => p.Kind == PageKind.WebPanel).Select(p => new WebPanelModule(
                    p.Key, new I18nText(p.Name), addon.Url(AddonRoutes.PageOf(p.Key)), "hipchat.sidebar.right", icon, Jwt))),
                NullIfEmpty(modules.Pages.Where(p => p.Kind == PageKind.Dialog).Select(p => new DialogModule(
                    p.Key,
                    new I18nText(p.Name),
                    addon.Url(AddonRoutes.PageOf(p.Key)),
                    new DialogModuleOptions(
                        p.Dialog!.Size,
                        p.Dialog.PrimaryActionName is { } action
                            ? new DialogAction(p.Dialog.PrimaryActionKey ?? $"{p.Key}.primary", new I18nText(action))
                            : null),
                    Jwt))),
                NullIfEmpty(modules.Actions.Select(a => new ActionModule(
                    a.Key,
                    new I18nText(a.Name),
                    a.Location == ActionLocation.MessageAction ? "hipchat.message.action" : "hipchat.input.action",
                    a.Target))),
                configure is null ? null : new ConfigurableModule(addon.Url(AddonRoutes.PageOf(configure.Key)), Jwt)));
    }

    private static List<T>? NullIfEmpty<T>(IEnumerable<T> modules) => modules.ToList() is { Count: > 0 } list ? list : null;
}
