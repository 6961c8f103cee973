using System.Buffers;

namespace CleanAddon.Infrastructure.HipChat;

/// <summary>
/// Caps what HipChat (or whatever answers in its place) can make the add-on read, and reads it all here: the body is
/// in memory before the response leaves the handler chain, so the request timeout around the chain bounds the whole
/// call, and a slow body cannot hold a delivery past its lease. HipChat's documents are small.
/// </summary>
internal sealed class ResponseSizeLimitHandler : DelegatingHandler
{
    public const int MaxResponseBytes = 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            if (response.Content.Headers.ContentLength > MaxResponseBytes)
            {
                throw new ResponseTooLargeException();
            }

            var body = await ReadLimitedAsync(response.Content, cancellationToken);
            var buffered = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
            foreach (var header in response.Content.Headers)
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = buffered;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task<MemoryStream> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var body = new MemoryStream((int)Math.Min(content.Headers.ContentLength ?? 0, 64 * 1024));

        // Pooled: most answers (a 204 for every notification) are empty, and a fresh chunk per call was most of what
        // a delivery allocated.
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > MaxResponseBytes)
                {
                    throw new ResponseTooLargeException();
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return body;
    }
}

internal sealed class ResponseTooLargeException()
    : IOException($"The response is larger than {ResponseSizeLimitHandler.MaxResponseBytes} bytes.");

internal static class ExceptionChain
{
    /// <summary>The first exception of type <typeparamref name="T"/> in the chain of inner exceptions, if any.</summary>
    public static T? Find<T>(this Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
