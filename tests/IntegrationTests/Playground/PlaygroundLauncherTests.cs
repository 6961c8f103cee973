using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Playground;

/// <summary>
/// <c>dotnet run --project tools/HipChatPlayground</c> is one command: the built playground, started as a person starts
/// it, brings up the add-on (or uses the one already answering) so that installing works at once.
/// </summary>
public sealed class PlaygroundLauncherTests
{
    // The first start builds src/Api with `dotnet run`.
    private static readonly TimeSpan StartUp = TimeSpan.FromMinutes(5);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_playground_starts_the_add_on_trusting_it_and_stops_it_when_the_playground_stops()
    {
        var addon = new Uri($"http://localhost:{AddonProcess.FreePort()}");
        await using var playground = PlaygroundProcess.Start(addon);

        (await WaitUntilReadyAsync(addon)).Should().BeTrue(playground.Output);
        (await playground.InstallAsync(addon)).StatusCode.Should().Be(HttpStatusCode.Created, playground.Output);
        await playground.StopAsync();

        (await AcceptsConnectionsAsync(addon.Port)).Should().BeFalse("the add-on stops with the playground");
    }

    [Fact]
    public async Task The_playground_uses_an_add_on_already_answering_on_its_address_and_leaves_it_running()
    {
        var port = AddonProcess.FreePort();
        var addon = new Uri($"http://localhost:{port}");
        await using var running = AddonProcess.Start(
            new Dictionary<string, string> { ["ConnectionStrings__Addon"] = $"Data Source={TemporaryDatabase()}" },
            ["--HipChat:AllowedHosts:0=localhost", $"--Addon:BaseUrl={addon.GetLeftPart(UriPartial.Authority)}"],
            port: port);
        (await running.WaitUntilReadyAsync(StartUp)).Should().BeTrue(running.Output);
        await using var playground = PlaygroundProcess.Start(addon);

        (await playground.InstallAsync(addon)).StatusCode.Should().Be(HttpStatusCode.Created, playground.Output);
        await playground.StopAsync();

        playground.Output.Should().Contain($"An add-on already answers on {addon}");
        running.HasExited.Should().BeFalse();
        (await running.WaitUntilReadyAsync(StartUp)).Should().BeTrue("the playground left the add-on it found alone");
    }

    private static async Task<bool> WaitUntilReadyAsync(Uri addon)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = new CancellationTokenSource(StartUp);
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                if ((await http.GetAsync(new Uri(addon, "/health/ready"), Cancellation)).IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Still building or starting: ask again until the deadline.
            }

            await Task.Delay(500, Cancellation);
        }

        return false;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, Cancellation);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string TemporaryDatabase() => Path.Combine(Path.GetTempPath(), $"addon-playground-{Guid.NewGuid():N}.db");

    /// <summary>The built playground, started from a directory of its own choosing as a person's `dotnet run` would.</summary>
    private sealed class PlaygroundProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _database;
        private readonly StringBuilder _output = new();

        private PlaygroundProcess(Process process, Uri address, string database)
        {
            _process = process;
            Address = address;
            _database = database;
        }

        public Uri Address { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static PlaygroundProcess Start(Uri addon)
        {
            var address = new Uri($"http://localhost:{AddonProcess.FreePort()}");
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Path.GetTempPath(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(
                AddonProcess.OutputDirectory("tools", "HipChatPlayground"), "CleanAddon.HipChatPlayground.dll"));
            info.ArgumentList.Add($"--urls={address.GetLeftPart(UriPartial.Authority)}");
            info.ArgumentList.Add($"--Playground:AddonUrl={addon.GetLeftPart(UriPartial.Authority)}");
            info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
            var database = TemporaryDatabase();
            info.Environment["ConnectionStrings__Addon"] = $"Data Source={database}";
            // The add-on's `dotnet run` build must leave no build servers holding this test's output pipes open.
            info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            info.Environment["UseSharedCompilation"] = "false";
            info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

            var playground = new PlaygroundProcess(Process.Start(info)!, address, database);
            playground._process.OutputDataReceived += (_, e) => playground.Append(e.Data);
            playground._process.ErrorDataReceived += (_, e) => playground.Append(e.Data);
            playground._process.BeginOutputReadLine();
            playground._process.BeginErrorReadLine();
            return playground;
        }

        public async Task<HttpResponseMessage> InstallAsync(Uri addon)
        {
            using var http = new HttpClient { BaseAddress = Address };
            var deadline = DateTime.UtcNow + StartUp;
            while (true)
            {
                try
                {
                    return await http.PostAsJsonAsync(
                        "/playground/api/installations",
                        new { descriptorUrl = new Uri(addon, "/capabilities.json").AbsoluteUri, roomId = 1 },
                        Cancellation);
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_process.HasExited)
                {
                    await Task.Delay(200, Cancellation);
                }
            }
        }

        /// <summary>Stops the playground as a service manager would (SIGTERM) and waits for it.</summary>
        public async Task StopAsync()
        {
            using (var kill = Process.Start("/bin/sh", ["-c", $"kill -TERM {_process.Id}"]))
            {
                await kill.WaitForExitAsync(Cancellation);
            }

            await _process.WaitForExitAsync(Cancellation);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_database)!, Path.GetFileName(_database) + "*"))
            {
                File.Delete(file);
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
