using System.Net;
using CleanAddon.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.HipChat;

internal sealed class HipChatHosts(IOptions<HipChatOptions> options) : IHipChatHosts
{
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "::1", "[::1]"];

    private readonly HashSet<string> _allowed = new(
        options.Value.AllowedHosts.Select(h => h.Trim().Trim('[', ']')),
        StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(Uri url)
    {
        if (!url.IsAbsoluteUri || !string.IsNullOrEmpty(url.UserInfo) || !IsListed(url.IdnHost))
        {
            return false;
        }

        return url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopbackName(url.IdnHost));
    }

    public bool IsListed(string host) => _allowed.Contains(host.Trim('[', ']'));

    /// <summary>Loopback by name or literal; the only hosts plain http and a loopback connection are allowed for.</summary>
    public static bool IsLoopbackName(string host) => LoopbackHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Where a connection may go once DNS has answered: never to link-local or cloud metadata addresses, and to
    /// loopback only for a listed loopback host, so a listed name cannot be pointed at the add-on's own machine.
    /// </summary>
    public static bool MayConnect(string host, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return IsLoopbackName(host);
        }

        var bytes = address.GetAddressBytes();
        var linkLocal = address.IsIPv6LinkLocal || (bytes.Length == 4 && bytes[0] == 169 && bytes[1] == 254);
        var unspecified = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        return !linkLocal && !unspecified;
    }
}
