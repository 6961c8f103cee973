using System.Buffers.Text;
using System.Security.Cryptography;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Infrastructure.HipChat;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CleanAddon.Api.Pages;

/// <summary>
/// Renders a declared view inside <see cref="PageShell"/> (all.js from the installation's HipChat, AUI styles, the
/// framework's page script), with a Content-Security-Policy that lets only HipChat frame it and runs only scripts of
/// the add-on, of that HipChat, or carrying this response's nonce.
/// </summary>
public sealed class PageLayout(IOptions<HipChatOptions> hipChat)
{
    public const string AuiStylesheet = "https://aui-cdn.atlassian.com/aui-adg/5.9.5/css/aui.css";

    private readonly string _frameAncestors = string.Join(' ', hipChat.Value.AllowedHosts.Select(Origin));

    public IResult Render(HttpContext context, PageDeclaration page, HipChatCaller caller, Uri hipChatWebUrl)
    {
        // Base64url: nothing in it for Razor to encode, so the attribute reads as the header says.
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var hipChatOrigin = hipChatWebUrl.GetLeftPart(UriPartial.Authority);
        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src 'self' 'nonce-{nonce}' {hipChatOrigin}; "
            + $"style-src 'self' 'unsafe-inline' https://aui-cdn.atlassian.com {hipChatOrigin}; "
            + "img-src 'self' data: https:; connect-src 'self'; "
            + $"frame-ancestors {_frameAncestors}; base-uri 'none'; form-action 'self'; object-src 'none'";
        context.Response.Headers.CacheControl = "no-store";

        return new RazorComponentResult<PageShell>(new Dictionary<string, object?>
        {
            [nameof(PageShell.Title)] = page.Name,
            [nameof(PageShell.AllJs)] = new Uri(hipChatWebUrl, "atlassian-connect/all.js").AbsoluteUri,
            [nameof(PageShell.View)] = page.ViewType,
            [nameof(PageShell.Page)] = new PageContext(page.Key, caller.OAuthId, caller.RoomId, caller.UserId, nonce),
        });
    }

    // Loopback hosts are for development and tests, where HipChat (or the emulator) runs on plain http.
    private static string Origin(string host) =>
        HipChatHosts.IsLoopbackName(host) ? $"http://{Bracketed(host)}:* https://{Bracketed(host)}:*" : $"https://{host}";

    private static string Bracketed(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host.Trim('[', ']')}]" : host;
}
