using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CleanAddon.LoadDriver;

/// <summary>
/// A server under load, started as operators start it (<c>dotnet X.dll</c>, one process), with its start-up time
/// and memory read from the outside.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    // The last lines it wrote, to say why it stopped.
    private readonly Queue<string> _tail = new();
    private bool _closed;

    private ServerProcess(Process process, Uri address, StreamWriter log)
    {
        _process = process;
        Address = address;
        _log = log;
    }

    public Uri Address { get; }

    /// <summary>From process start until <c>readyPath</c> first answered 200.</summary>
    public TimeSpan StartUp { get; private set; }

    public int Id => _process.Id;

    public static async Task<ServerProcess> StartAsync(
        string assembly,
        Func<Uri, IEnumerable<string>> arguments,
        string readyPath,
        string logFile,
        bool profiled,
        CancellationToken cancellationToken)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(assembly);
        foreach (var argument in arguments(address).Append($"--urls={address}"))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (profiled)
        {
            // Lets perf name managed frames: a map of JIT-compiled code, no W^X double mapping (perf cannot match
            // its memfd), and no precompiled framework code (not in the map). Off otherwise: it slows start-up.
            info.Environment["DOTNET_PerfMapEnabled"] = "1";
            info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
            info.Environment["DOTNET_ReadyToRun"] = "0";
        }
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        var server = new ServerProcess(process, address, log);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyPath, clock, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>CPU time the process has used so far, user and system.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Resident memory now (<c>VmRSS</c>) and at its peak so far (<c>VmHWM</c>), in MiB.</summary>
    public (double Current, double Peak) Memory()
    {
        double current = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kibibytes(line) / 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kibibytes(line) / 1024;
            }
        }

        return (current, peak);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private async Task WaitUntilReadyAsync(string readyPath, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken);
                string tail;
                lock (_log)
                {
                    tail = string.Join(Environment.NewLine, _tail);
                }

                throw new InvalidOperationException(
                    $"The server exited with {_process.ExitCode} before it was ready; its last lines:{Environment.NewLine}{tail}");
            }

            try
            {
                using var response = await http.GetAsync(readyPath, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    StartUp = clock.Elapsed;
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }

        throw new TimeoutException($"The server did not answer {readyPath} within a minute.");
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            if (line is not null && !_closed)
            {
                _log.WriteLine(line);
                _tail.Enqueue(line);
                if (_tail.Count > 20)
                {
                    _tail.Dequeue();
                }
            }
        }
    }

    private static double Kibibytes(string statusLine) =>
        double.Parse(statusLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
