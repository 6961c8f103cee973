using System.Net;
using System.Net.Sockets;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Hosting;

/// <summary>
/// Where the built add-on listens: <c>ASPNETCORE_URLS</c> over what .NET's container images set
/// (<c>ASPNETCORE_HTTP_PORTS</c>), and <c>--urls</c> over both. The address that wins names port 0 and the add-on's
/// start-up log says which port it got; the addresses that lose name ports nothing listened on, which must stay so.
/// </summary>
public abstract class ListenAddressTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly TimeSpan StartUp = TimeSpan.FromSeconds(60);
    private string _database = "";

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync(provider);

    public ValueTask DisposeAsync()
    {
        TestDatabase.Release(provider, _database);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Aspnetcore_urls_wins_over_aspnetcore_http_ports()
    {
        var ports = AddonProcess.UnusedPort();
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>(TestDatabase.Environment(provider, _database))
            {
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["ASPNETCORE_HTTP_PORTS"] = $"{ports}",
            },
            [],
            listen: false);

        (await addon.WaitUntilReadyAsync(StartUp)).Should().BeTrue(addon.Output);

        addon.ListeningOn.Should().Equal($"http://127.0.0.1:{addon.Address.Port}");
        (await AcceptsConnectionsAsync(ports)).Should().BeFalse();
    }

    [Fact]
    public async Task The_command_line_url_wins_over_aspnetcore_urls_and_http_ports()
    {
        var (environment, ports) = (AddonProcess.UnusedPort(), AddonProcess.UnusedPort());
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>(TestDatabase.Environment(provider, _database))
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{environment}",
                ["ASPNETCORE_HTTP_PORTS"] = $"{ports}",
            },
            ["--urls=http://127.0.0.1:0"],
            listen: false);

        (await addon.WaitUntilReadyAsync(StartUp)).Should().BeTrue(addon.Output);

        addon.ListeningOn.Should().Equal($"http://127.0.0.1:{addon.Address.Port}");
        (await AcceptsConnectionsAsync(environment)).Should().BeFalse();
        (await AcceptsConnectionsAsync(ports)).Should().BeFalse();
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

public sealed class PostgresListenAddressTests() : ListenAddressTests(DatabaseProvider.Postgres);

public sealed class SqliteListenAddressTests() : ListenAddressTests(DatabaseProvider.Sqlite);
