using System.Text.Json.Serialization;

namespace CleanAddon.Api.Descriptor;

/// <summary>The capability descriptor HipChat reads (schema: spec section 2).</summary>
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
    [property: JsonPropertyName("webhook")] IReadOnlyList<WebhookModule> Webhook,
    [property: JsonPropertyName("glance")] IReadOnlyList<GlanceModule> Glance);

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
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("pattern")] string? Pattern,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("authentication")] string Authentication);

public sealed record GlanceModule(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("name")] I18nText Name,
    [property: JsonPropertyName("icon")] Icon Icon,
    [property: JsonPropertyName("queryUrl")] string QueryUrl);

public sealed record I18nText([property: JsonPropertyName("value")] string Value);

public sealed record Icon(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("url@2x")] string Url2x);
