using System.Net;
using CleanAddon.Application.Abstractions;

namespace CleanAddon.Infrastructure.HipChat;

/// <summary>
/// The only way out to HipChat: refuses any URL off the allow-list before a byte leaves the process, and follows
/// redirects of GETs itself (the primary handler follows none) so that every hop is checked too.
/// </summary>
internal sealed class AllowedHostsHandler(HipChatHosts hosts) : DelegatingHandler
{
    private const int MaxRedirects = 5;

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Ensure(request.RequestUri!);
        var response = await base.SendAsync(request, cancellationToken);
        for (var hop = 0; hop < MaxRedirects && IsRedirect(response) && request.Method == HttpMethod.Get; hop++)
        {
            var location = response.Headers.Location;
            if (location is null)
            {
                break;
            }

            var next = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            Ensure(next);
            response.Dispose();
            request = Copy(request, next);
            response = await base.SendAsync(request, cancellationToken);
        }

        return response;
    }

    private void Ensure(Uri url)
    {
        if (!hosts.IsAllowed(url))
        {
            throw new OutboundHostRejectedException(url);
        }
    }

    private static bool IsRedirect(HttpResponseMessage response) => response.StatusCode is
        HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static HttpRequestMessage Copy(HttpRequestMessage original, Uri url)
    {
        var copy = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var header in original.Headers.Where(h => h.Key != "Authorization"))
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}
