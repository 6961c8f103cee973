using System.Net;
using CleanAddon.Infrastructure.HipChat;

namespace CleanAddon.UnitTests.Infrastructure.HipChat;

public sealed class ResponseSizeLimitHandlerTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_body_within_the_limit_is_buffered_whole_with_its_headers()
    {
        var sent = new byte[40_000];
        Random.Shared.NextBytes(sent);
        using var invoker = Invoker(new StreamContent(new MemoryStream(sent)) { Headers = { { "Content-Type", "application/octet-stream" } } });

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.hipchat.com/v2/"), Cancellation);

        (await response.Content.ReadAsByteArrayAsync(Cancellation)).Should().Equal(sent);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
    }

    [Fact]
    public async Task An_empty_answer_stays_empty()
    {
        using var invoker = Invoker(new ByteArrayContent([]));

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "https://api.hipchat.com/v2/"), Cancellation);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync(Cancellation)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_body_without_a_length_that_grows_past_the_limit_is_refused_once_it_does()
    {
        var endless = new UnboundedStream();
        using var invoker = Invoker(new StreamContent(endless));

        var send = () => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.hipchat.com/v2/"), Cancellation);

        await send.Should().ThrowAsync<ResponseTooLargeException>();
        endless.Position.Should().BeLessThanOrEqualTo(ResponseSizeLimitHandler.MaxResponseBytes + (64 * 1024), "reading stops at the limit");
    }

    private static HttpMessageInvoker Invoker(HttpContent content) =>
        new(new ResponseSizeLimitHandler { InnerHandler = new Answering(content) });

    /// <summary>Stands in for the network: answers every request with <paramref name="content"/> (no length unless it has one).</summary>
    private sealed class Answering(HttpContent content) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }

    /// <summary>A body that never ends and announces no length, as a chunked answer can.</summary>
    private sealed class UnboundedStream : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'x', offset, count);
            _position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
