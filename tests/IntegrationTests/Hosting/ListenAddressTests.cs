using System.Net;
using System.Net.Sockets;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Hosting;

/// <summary>
/// Where the built add-on listens: what .NET's container images set (<c>ASPNETCORE_HTTP_PORTS</c>),
/// <c>ASPNETCORE_URLS</c> and <c>--urls</c> (the command line wins); the default only when none is given.
/// </summary>
public sealed class ListenAddressTests
{
    private static readonly TimeSpan StartUp = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Started_like_the_container_image_it_listens_on_aspnetcore_http_ports_and_keeps_sqlite_in_the_data_directory()
    {
        var port = AddonProcess.FreePort();
        var data = Directory.CreateTempSubdirectory("addon-data-").FullName;
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>
            {
                ["ASPNETCORE_HTTP_PORTS"] = $"{port}",
                ["ConnectionStrings__Addon"] = $"Data Source={data}/addon.db",
            },
            [],
            listen: false,
            workingDirectory: "/",
            port: port);

        (await addon.WaitUntilReadyAsync(StartUp)).Should().BeTrue(addon.Output);

        addon.Output.Should().Contain($"Now listening on: http://[::]:{port}")
            .And.NotContain("Now listening on: http://localhost:5080");
        File.Exists(Path.Combine(data, "addon.db")).Should().BeTrue();
    }

    [Fact]
    public async Task Aspnetcore_urls_wins_over_aspnetcore_http_ports()
    {
        var (url, ports) = (AddonProcess.FreePort(), AddonProcess.FreePort());
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{url}",
                ["ASPNETCORE_HTTP_PORTS"] = $"{ports}",
            },
            [],
            listen: false,
            port: url);

        (await addon.WaitUntilReadyAsync(StartUp)).Should().BeTrue(addon.Output);

        (await AcceptsConnectionsAsync(ports)).Should().BeFalse();
    }

    [Fact]
    public async Task The_command_line_url_wins_over_aspnetcore_urls_and_http_ports()
    {
        var (commandLine, environment, ports) = (AddonProcess.FreePort(), AddonProcess.FreePort(), AddonProcess.FreePort());
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{environment}",
                ["ASPNETCORE_HTTP_PORTS"] = $"{ports}",
            },
            [$"--urls=http://127.0.0.1:{commandLine}"],
            listen: false,
            port: commandLine);

        (await addon.WaitUntilReadyAsync(StartUp)).Should().BeTrue(addon.Output);

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
