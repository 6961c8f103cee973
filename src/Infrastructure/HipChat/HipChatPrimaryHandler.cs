using System.Net;
using System.Net.Sockets;
using CleanAddon.Application.Abstractions;

namespace CleanAddon.Infrastructure.HipChat;

/// <summary>The socket-level end of the <c>HipChat</c> HttpClient.</summary>
internal static class HipChatPrimaryHandler
{
    /// <summary>
    /// No redirects (<see cref="AllowedHostsHandler"/> follows them, checking each hop), no cookies, connections
    /// only to allowed addresses as <paramref name="dns"/> resolves them, and server certificates checked by
    /// <paramref name="certificates"/>.
    /// </summary>
    public static SocketsHttpHandler Create(HipChatCertificateValidator certificates, HipChatDns dns) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectCallback = (context, cancellationToken) => ConnectToAllowedAddressAsync(dns, context, cancellationToken),
        SslOptions = { RemoteCertificateValidationCallback = certificates.Validate },
    };

    /// <summary>Checks where DNS sent a listed host before connecting, so a listed name cannot reach metadata or loopback.</summary>
    private static async ValueTask<Stream> ConnectToAllowedAddressAsync(
        HipChatDns dns, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await dns.ResolveAsync(host, cancellationToken);
        var allowed = addresses.Where(address => HipChatHosts.MayConnect(host, address)).ToArray();
        if (allowed.Length == 0)
        {
            throw new OutboundHostRejectedException(new UriBuilder(Uri.UriSchemeHttps, host).Uri);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
