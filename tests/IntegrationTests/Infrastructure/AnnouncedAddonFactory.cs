using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>
/// The add-on whose <c>Addon:BaseUrl</c> (every descriptor URL) must be its real address under <c>localhost</c>, as
/// HipChat and a browser fetch it, before it starts: so the fixture binds a loopback socket on a port the operating
/// system picks, reads the port, and hands the listening socket itself to Kestrel.
/// </summary>
public class AnnouncedAddonFactory<TDatabase> : AddonApiFactory<TDatabase>
    where TDatabase : ITestDatabase
{
    private readonly Socket _listener = Bound();
    private readonly int _port;

    public AnnouncedAddonFactory() => _port = ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>The add-on's address as its descriptor announces it.</summary>
    public string BaseUrl => $"http://localhost:{_port}";

    public Uri DescriptorUrl => new($"{BaseUrl}/capabilities.json");

    public override Uri ServerAddress => new($"http://127.0.0.1:{_port}");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Addon:BaseUrl"] = BaseUrl,
    };

    // Kestrel closes the descriptor it is given when it stops, so it gets a duplicate and the fixture closes its own.
    protected override void Listen(KestrelServerOptions kestrel) =>
        kestrel.ListenHandle((ulong)Descriptors.Duplicate((int)_listener.Handle));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _listener.Dispose();
        GC.SuppressFinalize(this);
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
