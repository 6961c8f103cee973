using CleanAddon.Application.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CleanAddon.Api.Descriptor;

[ApiController]
public sealed class DescriptorController(IOptions<AddonOptions> options) : ControllerBase
{
    [HttpGet(AddonRoutes.Descriptor)]
    [HttpGet(AddonRoutes.DescriptorAlias)]
    public AddonDescriptor Get() => Build(options.Value);

    public static AddonDescriptor Build(AddonOptions addon) => new(
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
            [new WebhookModule(
                "echo", "Echo", WebhookEvents.RoomMessage, ".*", addon.Url(AddonRoutes.RoomMessageWebhook), "jwt")],
            [new GlanceModule(
                HandleWebhookHandler.GlanceKey,
                new I18nText("Echo count"),
                new Icon(addon.Url(AddonRoutes.Icon), addon.Url(AddonRoutes.Icon2x)),
                addon.Url(AddonRoutes.Glance))]));
}
