using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Hosting;

/// <summary>
/// <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> count only when they come from a proxy listed in
/// <c>ForwardedHeaders:KnownProxies</c> or <c>ForwardedHeaders:KnownNetworks</c>; the tests connect from loopback. (A
/// proxy that is not an address stops the start-up: <c>ConfigurationTests</c>.)
/// </summary>
public abstract class ForwardedHeadersTests(DatabaseProvider provider)
{
    private const string Client = "203.0.113.7";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Forwarded_headers_are_ignored_when_no_proxy_is_configured()
    {
        await using var factory = await CallerEchoFactory.StartAsync(provider, new Dictionary<string, string>());

        var caller = await ForwardedCallAsync(factory);

        caller.Should().Be("127.0.0.1 http");
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "127.0.0.1")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "127.0.0.0/8")]
    public async Task Forwarded_headers_from_a_configured_proxy_set_the_client_address_and_scheme(string key, string proxy)
    {
        await using var factory = await CallerEchoFactory.StartAsync(provider, new Dictionary<string, string> { [key] = proxy });

        var caller = await ForwardedCallAsync(factory);

        caller.Should().Be($"{Client} https");
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.1.2.3")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8")]
    public async Task Forwarded_headers_from_a_sender_that_is_not_a_configured_proxy_are_ignored(string key, string proxy)
    {
        await using var factory = await CallerEchoFactory.StartAsync(provider, new Dictionary<string, string> { [key] = proxy });

        var caller = await ForwardedCallAsync(factory);

        caller.Should().Be("127.0.0.1 http");
    }

    private static async Task<string> ForwardedCallAsync(CallerEchoFactory factory)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{factory.ServerAddress.Port}") };
        using var request = new HttpRequestMessage(HttpMethod.Get, CallerEchoFactory.Path);
        request.Headers.Add("X-Forwarded-For", Client);
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await client.SendAsync(request, Cancellation);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(Cancellation);
    }

    /// <summary>The add-on plus one path behind its whole pipeline that answers the caller it saw: address and scheme.</summary>
    private sealed class CallerEchoFactory(DatabaseProvider provider, IReadOnlyDictionary<string, string> settings)
        : AddonApiFactory(provider)
    {
        public const string Path = "/test/caller";

        protected override IReadOnlyDictionary<string, string> Settings => settings;

        public static async Task<CallerEchoFactory> StartAsync(
            DatabaseProvider provider, IReadOnlyDictionary<string, string> settings)
        {
            var factory = new CallerEchoFactory(provider, settings);
            await factory.InitializeAsync();
            return factory;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, CallerEcho>());
        }
    }

    private sealed class CallerEcho : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Response.WriteAsync(
                $"{context.Connection.RemoteIpAddress?.MapToIPv4()} {context.Request.Scheme}", context.RequestAborted));
        };
    }
}

public sealed class PostgresForwardedHeadersTests() : ForwardedHeadersTests(DatabaseProvider.Postgres);

public sealed class SqliteForwardedHeadersTests() : ForwardedHeadersTests(DatabaseProvider.Sqlite);
