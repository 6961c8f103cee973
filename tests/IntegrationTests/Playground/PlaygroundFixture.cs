using System.Net;
using System.Net.Sockets;
using CleanAddon.HipChatPlayground;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Playground;

/// <summary>The HipChat playground in-process, on a free loopback port that it announces under <c>localhost</c>.</summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    private PlaygroundApp _playground = null!;

    public PlaygroundApp Playground => _playground;

    public Uri BaseUrl => _playground.BaseUrl;

    public HttpClient CreateClient() => new() { BaseAddress = BaseUrl };

    public async ValueTask InitializeAsync()
    {
        _playground = PlaygroundApp.Create(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await _playground.App.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _playground.App.StopAsync();
        await _playground.DisposeAsync();
    }
}

/// <summary>
/// The add-on on a port chosen before it starts, so that <c>Addon:BaseUrl</c> (every descriptor URL) is its real
/// address under <c>localhost</c>, the host the playground's browser frames it from.
/// </summary>
public sealed class PlaygroundAddonFactory : AddonApiFactory
{
    private readonly int _port = FreePort();

    public Uri DescriptorUrl => new($"http://localhost:{_port}/capabilities.json");

    protected override int Port => _port;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Addon:BaseUrl"] = $"http://localhost:{_port}",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
