using System.Net;

namespace CleanAddon.Infrastructure.HipChat;

/// <summary>
/// Name resolution for the connections of the <c>HipChat</c> HttpClient: the system's DNS. A seam of the outside world
/// like <see cref="TimeProvider"/>: tests register a subclass to play a resolver that points a listed name at
/// loopback or a cloud metadata address, which the connect-time guard must refuse.
/// </summary>
public class HipChatDns
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
