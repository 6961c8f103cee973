using System.Net;
using System.Security.Cryptography;
using CleanAddon.Application.Pages;
using CleanAddon.Infrastructure.HipChat;
using Microsoft.Extensions.Options;

namespace CleanAddon.Api.Capabilities;

/// <summary>
/// Wraps a rendered view in the page HipChat expects (all.js from the installation's HipChat, AUI styles) and a
/// Content-Security-Policy that lets only HipChat frame it and runs only the page's own nonce-tagged script.
/// </summary>
public sealed class PageLayout(IOptions<HipChatOptions> hipChat)
{
    private const string AuiStylesheet = "https://aui-cdn.atlassian.com/aui-adg/5.9.5/css/aui.css";

    private readonly string _frameAncestors = string.Join(' ', hipChat.Value.AllowedHosts.Select(Origin));

    public IResult Render(HttpContext context, RenderedPage rendered)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var hipChatOrigin = rendered.HipChatWebUrl.GetLeftPart(UriPartial.Authority);
        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src 'self' 'nonce-{nonce}' {hipChatOrigin}; "
            + $"style-src 'self' 'unsafe-inline' https://aui-cdn.atlassian.com {hipChatOrigin}; "
            + "img-src 'self' data: https:; connect-src 'self'; "
            + $"frame-ancestors {_frameAncestors}; base-uri 'none'; form-action 'self'; object-src 'none'";
        context.Response.Headers.CacheControl = "no-store";

        var page = rendered.Page;
        var allJs = new Uri(rendered.HipChatWebUrl, "atlassian-connect/all.js");
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(page.Title)}</title>
            <link rel="stylesheet" href="{AuiStylesheet}" media="all">
            <link rel="stylesheet" href="../css/addon.css" media="all">
            <script src="{WebUtility.HtmlEncode(allJs.AbsoluteUri)}" nonce="{nonce}"></script>
            </head>
            <body class="aui-page-hipchat">
            <main class="aui-page-panel-content">
            {page.BodyHtml}
            </main>
            <script nonce="{nonce}">{page.Script}</script>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    // Loopback hosts are for development and tests, where HipChat (or the emulator) runs on plain http.
    private static string Origin(string host) =>
        HipChatHosts.IsLoopbackName(host) ? $"http://{Bracketed(host)}:* https://{Bracketed(host)}:*" : $"https://{host}";

    private static string Bracketed(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host.Trim('[', ']')}]" : host;
}
