using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CleanAddon.HipChatPlayground;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

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
/// The add-on whose <c>Addon:BaseUrl</c> (every descriptor URL) must be its real address under <c>localhost</c>, the
/// host the playground's browser frames it from, before it starts: so the fixture binds a loopback socket on a port
/// the operating system picks, reads the port, and hands the listening socket itself to Kestrel.
/// </summary>
public sealed class PlaygroundAddonFactory<TDatabase> : AddonApiFactory<TDatabase>
    where TDatabase : ITestDatabase
{
    private readonly Socket _listener = Bound();
    private readonly int _port;

    public PlaygroundAddonFactory() => _port = ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public Uri DescriptorUrl => new($"http://localhost:{_port}/capabilities.json");

    public override Uri ServerAddress => new($"http://127.0.0.1:{_port}");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Addon:BaseUrl"] = $"http://localhost:{_port}",
    };

    // Kestrel closes the descriptor it is given when it stops, so it gets a duplicate and the fixture closes its own.
    protected override void Listen(KestrelServerOptions kestrel) =>
        kestrel.ListenHandle((ulong)Descriptors.Duplicate((int)_listener.Handle));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _listener.Dispose();
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        return socket;
    }
}

internal static class Descriptors
{
    /// <summary>dup(2): a second descriptor for the same open socket.</summary>
    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Duplicate(int descriptor);
}
