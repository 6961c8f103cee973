using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>
/// The built add-on started as operators start it (<c>dotnet CleanAddon.Api.dll</c>), with real configuration sources.
/// Unless the test says where, its key-encryption certificate goes to a temporary data folder of its own, never the
/// user's.
/// </summary>
public sealed partial class AddonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string? _dataHome;
    private readonly System.Text.StringBuilder _output = new();
    private readonly List<string> _listeningOn = [];
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AddonProcess(Process process, string? dataHome)
    {
        _process = process;
        _dataHome = dataHome;
    }

    /// <summary>Where the add-on listens, as it announced at start-up; known once <see cref="WaitUntilReadyAsync"/> returned true.</summary>
    public Uri Address => _address.Task.IsCompletedSuccessfully
        ? _address.Task.Result
        : throw new InvalidOperationException("The add-on has not said where it listens yet.");

    /// <summary>Every address the add-on announced ("Now listening on: ..."), as it wrote them.</summary>
    public IReadOnlyList<string> ListeningOn
    {
        get
        {
            lock (_output)
            {
                return [.. _listeningOn];
            }
        }
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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the add-on (its build output, or the one in <paramref name="applicationDirectory"/>) from its own folder,
    /// or <paramref name="workingDirectory"/>; <paramref name="listen"/> has it listen on a loopback port the operating
    /// system picks, false leaves the listen address to configuration. Either way <see cref="Address"/> is read back
    /// from its start-up log.
    /// </summary>
    public static AddonProcess Start(
        IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> arguments,
        bool listen = true,
        string? workingDirectory = null,
        string? applicationDirectory = null)
    {
        var (info, dataHome) = StartInfo(
            environment,
            listen ? arguments.Append("--urls=http://127.0.0.1:0") : arguments,
            workingDirectory,
            applicationDirectory);
        var process = Process.Start(info)!;
        var addon = new AddonProcess(process, dataHome);
        process.OutputDataReceived += (_, e) => addon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => addon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return addon;
    }

    /// <summary>Waits until the add-on said where it listens and answers /health/ready there; false if it exited or the time ran out.</summary>
    public async Task<bool> WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var exited = new CancellationTokenSource();
        var exit = _process.WaitForExitAsync(exited.Token);
        if (await Task.WhenAny(_address.Task, exit, Task.Delay(timeout, exited.Token)) != _address.Task)
        {
            return false;
        }

        await exited.CancelAsync();
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
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
                // Too slow to answer on a busy machine: ask again until the deadline.
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
            return await RunToEndAsync(info, timeout);
        }
        finally
        {
            DeleteDataHome(dataHome);
        }
    }

    /// <summary>Runs a command to its end, its output and errors read; killed (and the wait failed) after <paramref name="timeout"/>.</summary>
    public static async Task<CommandResult> RunToEndAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
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
    /// How the add-on is started: from its own build folder or the given one, with the given environment. Unless the test chose where
    /// the key-encryption certificate lives, the user's data folder is a temporary one of this process.
    /// </summary>
    private static (ProcessStartInfo Info, string? DataHome) StartInfo(
        IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        string? applicationDirectory = null)
    {
        var application = applicationDirectory ?? ApiOutputDirectory();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? application,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(application, "CleanAddon.Api.dll"));
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

        var listening = ListeningLine().Match(line);
        lock (_output)
        {
            _output.AppendLine(line);
            if (listening.Success)
            {
                _listeningOn.Add(listening.Groups["url"].Value);
            }
        }

        if (listening.Success)
        {
            _address.TrySetResult(ThroughLoopback(listening.Groups["url"].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();

    private static Uri ThroughLoopback(string url) =>
        new UriBuilder(url.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)).Uri;

    /// <summary>
    /// Where an ASP.NET Core process listens, if <paramref name="line"/> of its log is its "Now listening on" line; a
    /// wildcard address is reached through loopback.
    /// </summary>
    public static Uri? AnnouncedAddress(string line) =>
        ListeningLine().Match(line) is { Success: true } listening ? ThroughLoopback(listening.Groups["url"].Value) : null;

    /// <summary>
    /// A loopback port nothing listens on now: for an address a test checks is left alone, or one a child process
    /// must be told before it starts. What the tests start themselves listens on port 0 instead.
    /// </summary>
    public static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/Api's own build output, in the configuration the tests were built in.</summary>
    public static string ApiOutputDirectory() => OutputDirectory("src", "Api");

    /// <summary>
    /// src/Api's build output copied to a new temporary folder, for a test that starts the add-on with zero
    /// configuration: its default store, <c>addon.db</c> beside the add-on, is then not the one that
    /// <c>dotnet run --project src/Api</c> uses, whose key ring a test's own certificate cannot read (nor the reverse).
    /// </summary>
    public static string CopyOfApiOutput()
    {
        var source = ApiOutputDirectory();
        var copy = Directory.CreateTempSubdirectory("addon-app-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(file => !Path.GetFileName(file).StartsWith("addon.db", StringComparison.Ordinal)))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    /// <summary>A project's build output (the project's folder under the repository), in the tests' configuration.</summary>
    public static string OutputDirectory(params string[] project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        return Path.Combine([RepositoryRoot(), .. project, "bin", BuildConfiguration, testOutput.Name]);
    }

    /// <summary>The configuration the tests were built in (Debug or Release).</summary>
    public static string BuildConfiguration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>The folder of CleanAddon.sln.</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CleanAddon.sln")))
        {
            root = root.Parent;
        }

        return root!.FullName;
    }
}

/// <summary>How an operator verb ended: its exit code, standard output and standard error.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);
