using System.Text.Json.Serialization;

namespace CleanAddon.Api.Descriptor;

/// <summary>The capability descriptor HipChat reads (schema: spec section 2). Absent lists are left out.</summary>
public sealed record AddonDescriptor(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("apiVersion")] string ApiVersion,
    [property: JsonPropertyName("links")] DescriptorLinks Links,
    [property: JsonPropertyName("vendor")] DescriptorVendor Vendor,
    [property: JsonPropertyName("capabilities")] DescriptorCapabilities Capabilities);

public sealed record DescriptorLinks(
    [property: JsonPropertyName("self")] string Self,
    [property: JsonPropertyName("homepage")] string Homepage);

public sealed record DescriptorVendor(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("url")] string Url);

public sealed record DescriptorCapabilities(
    [property: JsonPropertyName("hipchatApiConsumer")] ApiConsumer HipChatApiConsumer,
    [property: JsonPropertyName("installable")] Installable Installable,
    [property: JsonPropertyName("webhook")] IReadOnlyList<WebhookModule>? Webhook,
    [property: JsonPropertyName("glance")] IReadOnlyList<GlanceModule>? Glance,
    [property: JsonPropertyName("webPanel")] IReadOnlyList<WebPanelModule>? WebPanel,
    [property: JsonPropertyName("dialog")] IReadOnlyList<DialogModule>? Dialog,
    [property: JsonPropertyName("action")] IReadOnlyList<ActionModule>? Action,
    [property: JsonPropertyName("configurable")] ConfigurableModule? Configurable);

public sealed record ApiConsumer(
    [property: JsonPropertyName("fromName")] string FromName,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string> Scopes);

public sealed record Installable(
    [property: JsonPropertyName("allowGlobal")] bool AllowGlobal,
    [property: JsonPropertyName("allowRoom")] bool AllowRoom,
    [property: JsonPropertyName("callbackUrl")] string CallbackUrl,
    [property: JsonPropertyName("updateCallbackUrl")] string UpdateCallbackUrl,
    [property: JsonPropertyName("uninstalledUrl")] string UninstalledUrl);

public sealed record WebhookModule(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("pattern")] string? Pattern,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("authentication")] string Authentication);

public sealed record GlanceModule(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("name")] I18nText Name,
    [property: JsonPropertyName("icon")] Icon Icon,
    [property: JsonPropertyName("queryUrl")] string QueryUrl,
    [property: JsonPropertyName("target")] string? Target);

public sealed record WebPanelModule(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("name")] I18nText Name,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("icon")] Icon Icon,
    [property: JsonPropertyName("authentication")] string Authentication);

public sealed record DialogModule(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("title")] I18nText Title,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("options")] DialogModuleOptions Options,
    [property: JsonPropertyName("authentication")] string Authentication);

public sealed record DialogModuleOptions(
    [property: JsonPropertyName("size")] string Size,
    [property: JsonPropertyName("primaryAction")] DialogAction? PrimaryAction);

public sealed record DialogAction(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("name")] I18nText Name);

public sealed record ActionModule(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("name")] I18nText Name,
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("target")] string Target);

public sealed record ConfigurableModule(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("authentication")] string Authentication);

public sealed record I18nText([property: JsonPropertyName("value")] string Value);

public sealed record Icon(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("url@2x")] string Url2x);
