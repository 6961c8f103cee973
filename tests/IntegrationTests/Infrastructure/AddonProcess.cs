using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>The built add-on started as operators start it (<c>dotnet CleanAddon.Api.dll</c>), with real configuration sources.</summary>
public sealed class AddonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string? _dataHome;
    private readonly System.Text.StringBuilder _output = new();

    private AddonProcess(Process process, Uri address, string? dataHome)
    {
        _process = process;
        Address = address;
        _dataHome = dataHome;
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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the add-on from its own folder, or <paramref name="workingDirectory"/>; <paramref name="listen"/> false
    /// leaves the listen address to configuration, which then names <paramref name="port"/> for <see cref="Address"/>.
    /// </summary>
    public static AddonProcess Start(
        IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> arguments,
        bool listen = true,
        string? workingDirectory = null,
        int? port = null)
    {
        port ??= FreePort();
        var (info, dataHome) = StartInfo(
            environment, listen ? arguments.Append($"--urls=http://127.0.0.1:{port}") : arguments, workingDirectory);
        var process = Process.Start(info)!;
        var addon = new AddonProcess(process, new Uri($"http://127.0.0.1:{port}"), dataHome);
        process.OutputDataReceived += (_, e) => addon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => addon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return addon;
    }

    /// <summary>Waits until the add-on answers /health/ready, or exits.</summary>
    public async Task<bool> WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too slow to answer on a busy machine: ask again until the deadline.
            }

            await Task.Delay(200);
        }

        return false;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    /// <summary>Runs the built add-on with <paramref name="arguments"/> (an operator verb) to its end.</summary>
    public static async Task<CommandResult> RunAsync(
        IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var (info, dataHome) = StartInfo(environment, arguments);
        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new CommandResult(process.ExitCode, await output, await error);
        }
        finally
        {
            DeleteDataHome(dataHome);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        DeleteDataHome(_dataHome);
    }

    /// <summary>
    /// How the add-on is started: from its own build folder, with the given environment. Unless the test chose where
    /// the key-encryption certificate lives, the user's data folder is a temporary one of this process.
    /// </summary>
    private static (ProcessStartInfo Info, string? DataHome) StartInfo(
        IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? ApiOutputDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(ApiOutputDirectory(), "CleanAddon.Api.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        string? dataHome = null;
        if (!environment.ContainsKey("XDG_DATA_HOME") && !environment.ContainsKey("DataProtection__CertificatePath"))
        {
            dataHome = Directory.CreateTempSubdirectory("cleanaddon-data-").FullName;
            info.Environment["XDG_DATA_HOME"] = dataHome;
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return (info, dataHome);
    }

    private static void DeleteDataHome(string? dataHome)
    {
        if (dataHome is not null && Directory.Exists(dataHome))
        {
            Directory.Delete(dataHome, recursive: true);
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/Api's own build output, in the configuration the tests were built in.</summary>
    public static string ApiOutputDirectory() => OutputDirectory("src", "Api");

    /// <summary>A project's build output (the project's folder under the repository), in the tests' configuration.</summary>
    public static string OutputDirectory(params string[] project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CleanAddon.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine([root!.FullName, .. project, "bin", configuration, framework]);
    }
}

/// <summary>How an operator verb ended: its exit code, standard output and standard error.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);
