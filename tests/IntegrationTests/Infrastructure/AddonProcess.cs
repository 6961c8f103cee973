using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>The built add-on started as operators start it (<c>dotnet CleanAddon.Api.dll</c>), with real configuration sources.</summary>
public sealed partial class AddonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AddonProcess(Process process) => _process = process;

    /// <summary>Where the add-on listens, as it announced at start-up; known once <see cref="WaitUntilReadyAsync"/> returned true.</summary>
    public Uri Address => _address.Task.IsCompletedSuccessfully
        ? _address.Task.Result
        : throw new InvalidOperationException("The add-on has not said where it listens yet.");

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
    /// Starts the add-on; <paramref name="listen"/> has it listen on a loopback port the operating system picks (read
    /// back from its start-up log), false leaves the listen address to configuration.
    /// </summary>
    public static AddonProcess Start(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, bool listen = true)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ApiOutputDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("CleanAddon.Api.dll");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (listen)
        {
            info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        }

        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var addon = new AddonProcess(process);
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

        if (ListeningOn().Match(line) is { Success: true } listening)
        {
            // A wildcard address is reached through loopback.
            var url = new UriBuilder(listening.Groups["url"].Value.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
                .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
                .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
            _address.TrySetResult(url.Uri);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningOn();

    /// <summary>src/Api's own build output, in the configuration the tests were built in.</summary>
    private static string ApiOutputDirectory()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CleanAddon.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root!.FullName, "src", "Api", "bin", configuration, framework);
    }
}
