using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Playground;

/// <summary>
/// <c>dotnet run --project tools/HipChatPlayground</c> is one command: the built playground, started as a person starts
/// it, brings up the add-on (or uses the one already answering) so that installing works at once. The add-on's address
/// is the playground's setting, known before either starts, so it names a port nothing listened on; the playground
/// itself listens on port 0 and says where.
/// </summary>
public abstract class PlaygroundLauncherTests(DatabaseProvider provider) : IAsyncLifetime
{
    // The first start builds src/Api with `dotnet run`.
    private static readonly TimeSpan StartUp = TimeSpan.FromMinutes(5);

    private string _database = "";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync(provider);

    public ValueTask DisposeAsync()
    {
        TestDatabase.Release(provider, _database);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_playground_starts_the_add_on_trusting_it_and_stops_it_when_the_playground_stops()
    {
        var addon = new Uri($"http://localhost:{AddonProcess.UnusedPort()}");
        await using var playground = PlaygroundProcess.Start(addon, TestDatabase.Environment(provider, _database));

        (await WaitUntilReadyAsync(addon)).Should().BeTrue(playground.Output);
        (await playground.InstallAsync(addon)).StatusCode.Should().Be(HttpStatusCode.Created, playground.Output);
        await playground.StopAsync();

        (await AcceptsConnectionsAsync(addon.Port)).Should().BeFalse("the add-on stops with the playground");
    }

    [Fact]
    public async Task The_playground_uses_an_add_on_already_answering_on_its_address_and_leaves_it_running()
    {
        var port = AddonProcess.UnusedPort();
        var addon = new Uri($"http://localhost:{port}");
        await using var running = AddonProcess.Start(
            TestDatabase.Environment(provider, _database),
            [
                "--HipChat:AllowedHosts:0=localhost", $"--Addon:BaseUrl={addon.GetLeftPart(UriPartial.Authority)}",
                $"--urls=http://127.0.0.1:{port}",
            ],
            listen: false);
        (await running.WaitUntilReadyAsync(StartUp)).Should().BeTrue(running.Output);
        await using var playground = PlaygroundProcess.Start(addon, TestDatabase.Environment(provider, _database));

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

    /// <summary>The built playground, started from a directory of its own choosing as a person's `dotnet run` would.</summary>
    private sealed class PlaygroundProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Uri _addon;
        private readonly StringBuilder _output = new();
        private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private PlaygroundProcess(Process process, Uri addon)
        {
            _process = process;
            _addon = addon;
        }

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

        /// <summary>Starts the playground for the add-on at <paramref name="addon"/>, on the database <paramref name="environment"/> names.</summary>
        public static PlaygroundProcess Start(Uri addon, IReadOnlyDictionary<string, string> environment)
        {
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Path.GetTempPath(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(
                AddonProcess.OutputDirectory("tools", "HipChatPlayground"), "CleanAddon.HipChatPlayground.dll"));
            info.ArgumentList.Add("--urls=http://127.0.0.1:0");
            info.ArgumentList.Add($"--Playground:AddonUrl={addon.GetLeftPart(UriPartial.Authority)}");
            info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }

            // The add-on it starts keeps its key-encryption certificate with the test run's, not in the user's home.
            info.Environment["DataProtection__CertificatePath"] = TestKeyEncryption.CertificatePath;

            // The add-on's `dotnet run` build must leave no build servers holding this test's output pipes open.
            info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            info.Environment["UseSharedCompilation"] = "false";
            info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

            var playground = new PlaygroundProcess(Process.Start(info)!, addon);
            playground._process.OutputDataReceived += (_, e) => playground.Append(e.Data);
            playground._process.ErrorDataReceived += (_, e) => playground.Append(e.Data);
            playground._process.BeginOutputReadLine();
            playground._process.BeginErrorReadLine();
            return playground;
        }

        public async Task<HttpResponseMessage> InstallAsync(Uri addon)
        {
            using (var stopped = CancellationTokenSource.CreateLinkedTokenSource(Cancellation))
            {
                var exited = _process.WaitForExitAsync(stopped.Token);
                if (await Task.WhenAny(_address.Task, exited, Task.Delay(StartUp, stopped.Token)) != _address.Task)
                {
                    throw new InvalidOperationException($"The playground never said where it listens:\n{Output}");
                }

                await stopped.CancelAsync();
            }

            using var http = new HttpClient { BaseAddress = await _address.Task };
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

            // The add-on it starts writes to the same terminal: the playground's address is the other one.
            if (AddonProcess.AnnouncedAddress(line) is { } address && address.Port != _addon.Port)
            {
                _address.TrySetResult(address);
            }
        }
    }
}

public sealed class PostgresPlaygroundLauncherTests() : PlaygroundLauncherTests(DatabaseProvider.Postgres);

public sealed class SqlitePlaygroundLauncherTests() : PlaygroundLauncherTests(DatabaseProvider.Sqlite);
