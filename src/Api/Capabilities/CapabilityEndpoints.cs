using System.Text.Json;
using CleanAddon.Api.Authentication;
using CleanAddon.Api.Pages;
using CleanAddon.Api.ProblemDetails;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Pages;
using CleanAddon.Application.Webhooks;
using CleanAddon.Infrastructure.HipChat;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace CleanAddon.Api.Capabilities;

/// <summary>
/// One endpoint per declared capability, generated from the declarations: a key nobody declared has no route, so it
/// is a 404 here and nowhere else, and every handler downstream receives its declaration rather than a key to look up.
/// Declarations only the host can check (views are components, page actions stay off the framework's paths) stop
/// the add-on here, before it listens.
/// </summary>
internal static class CapabilityEndpoints
{
    public const int MaxWebhookBodyBytes = 256 * 1024;

    private static readonly AuthorizeAttribute Webhooks = new() { AuthenticationSchemes = HipChatJwtDefaults.Scheme };
    private static readonly AuthorizeAttribute Pages = new() { AuthenticationSchemes = HipChatJwtDefaults.PageScheme };

    public static void MapCapabilities(this IEndpointRouteBuilder app)
    {
        var modules = app.ServiceProvider.GetRequiredService<AddonModules>();
        foreach (var webhook in modules.Webhooks)
        {
            app.MapPost(AddonRoutes.WebhookOf(webhook.Key), (HttpContext context, ISender sender) =>
                    AcceptWebhookAsync(context, webhook, sender))
                .RequireAuthorization(Webhooks)
                .RequireRateLimiting(WebhookRateLimit.Policy)
                .WithName($"webhook:{webhook.Key}");
        }

        foreach (var glance in modules.Glances)
        {
            // Called cross-origin by HipChat clients with signed_request: the JWT, not a cookie, is the credential.
            app.MapGet(AddonRoutes.GlanceOf(glance.Key), async (HttpContext context, ISender sender) =>
                    TypedResults.Json(
                        await sender.Send(
                            new GetGlanceQuery(context.User.ToHipChatCaller(), glance), context.RequestAborted),
                        GlanceJson))
                .RequireAuthorization(Webhooks)
                .WithMetadata(ReusedTokens.Instance)
                .RequireCors(CorsPolicies.HipChatClients)
                .WithName($"glance:{glance.Key}");
        }

        PageViews.Check(modules);
        foreach (var page in modules.Pages)
        {
            app.MapGet(AddonRoutes.PageOf(page.Key), async (HttpContext context, ISender sender, PageLayout layout) =>
                {
                    var caller = context.User.ToHipChatCaller();
                    var opened = await sender.Send(new OpenPageQuery(caller), context.RequestAborted);
                    return layout.Render(context, page, caller, opened.HipChatWebUrl);
                })
                .RequireAuthorization(Pages)
                .WithMetadata(ReusedTokens.Instance)
                .WithName($"page:{page.Key}");
        }

        app.MapPageActions(modules);
    }

    /// <summary>Glance content names its own JSON fields; absent values are left out.</summary>
    private static JsonSerializerOptions GlanceJson { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Answers 204 at once (the handler runs from a durable queue), or 200 with an immediate handler's notification.</summary>
    private static async Task<IResult> AcceptWebhookAsync(HttpContext context, WebhookDeclaration declaration, ISender sender)
    {
        if (!IsJson(context.Request))
        {
            return Problem(ProblemTypes.UnsupportedMediaType, "A webhook body is JSON.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxWebhookBodyBytes;
        }

        WebhookEvent webhook;
        try
        {
            webhook = WebhookJson.Read(await ReadBodyAsync(context), declaration.EventType);
        }
        catch (JsonException)
        {
            return Problem(
                ProblemTypes.MalformedRequest,
                $"The body is not a {declaration.Event} webhook, or repeats a key (keys are compared ignoring case).");
        }

        var reply = await sender.Send(
            new AcceptWebhookCommand(context.User.ToHipChatCaller(), declaration, webhook), context.RequestAborted);
        return reply.Notification is { } notification
            ? TypedResults.Text(JsonSerializer.Serialize(notification, HipChatJson.Options), "application/json")
            : TypedResults.NoContent();
    }

    public static bool IsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        return body.ToArray();
    }

    private static ProblemHttpResult Problem(ProblemType type, string detail) =>
        TypedResults.Problem(ProblemWriter.Create(type, detail));
}

public static class CorsPolicies
{
    public const string HipChatClients = "HipChatClients";
}
