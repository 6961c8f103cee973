using System.Net;
using CleanAddon.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.HipChat;

public sealed class HipChatHosts(IOptions<HipChatOptions> options) : IHipChatHosts
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
    /// Where a connection may go once DNS has answered: never to link-local, cloud metadata or unspecified
    /// addresses, and to loopback only for a listed loopback host, so a listed name cannot be pointed at the
    /// add-on's own machine. IPv4 hidden in IPv6 (mapped, compatible, NAT64) is judged as the IPv4 it carries.
    /// </summary>
    public static bool MayConnect(string host, IPAddress address)
    {
        address = Unwrap(address);
        if (IPAddress.IsLoopback(address))
        {
            return IsLoopbackName(host);
        }

        var bytes = address.GetAddressBytes();
        var linkLocal = address.IsIPv6LinkLocal || (bytes.Length == 4 && bytes[0] == 169 && bytes[1] == 254);
        var unspecified = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        return !linkLocal && !unspecified && !MetadataAddresses.Contains(address);
    }

    private static readonly HashSet<IPAddress> MetadataAddresses =
    [
        IPAddress.Parse("fd00:ec2::254"),
        IPAddress.Parse("100.100.100.200"),
    ];

    private static readonly byte[] Nat64Prefix = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

    private static IPAddress Unwrap(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        var prefix = bytes.AsSpan(0, 12);
        var compatible = prefix.IndexOfAnyExcept((byte)0) < 0 && bytes.AsSpan(12).IndexOfAnyExcept((byte)0) >= 0
            && !IPAddress.IsLoopback(address);
        return compatible || prefix.SequenceEqual(Nat64Prefix) ? new IPAddress(bytes.AsSpan(12)) : address;
    }
}
