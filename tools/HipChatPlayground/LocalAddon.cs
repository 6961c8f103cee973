using System.Diagnostics;
using System.Net;
using System.Reflection;

namespace CleanAddon.HipChatPlayground;

/// <summary>
/// The add-on the playground is for. When something already answers on its address it is used as it is; otherwise
/// the repository's add-on is started as a child process, trusting the playground, and stopped with it, so a person
/// needs one terminal.
/// </summary>
internal sealed partial class LocalAddon : IAsyncDisposable
{
    public const string UrlKey = "Playground:AddonUrl";
    public const string DefaultUrl = "http://localhost:5080";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private readonly Process? _process;
    private readonly CancellationTokenSource _stopping = new();

    private LocalAddon(Process? process) => _process = process;

    public static async Task<LocalAddon> StartUnlessRunningAsync(Uri url, ILogger<LocalAddon> logger)
    {
        if (await StatusAsync(new Uri(url, "/health/live"), CancellationToken.None) is not null)
        {
            LogReused(logger, url);
            return new LocalAddon(null);
        }

        var baseUrl = url.GetLeftPart(UriPartial.Authority);
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var argument in (string[])
        [
            "run", "--project", AddonProject(), "--launch-profile", "Development", "--",
            $"--urls={baseUrl}", $"--Addon:BaseUrl={baseUrl}",
            // The playground's HipChat is http://localhost:<port>: a listed loopback host may use plain http.
            "--HipChat:AllowedHosts:0=localhost",
            // The add-on shares this terminal: its log lines, not a dump of every span.
            "--Telemetry:ConsoleTraces=false",
        ])
        {
            info.ArgumentList.Add(argument);
        }

        LogStarting(logger, baseUrl);
        var addon = new LocalAddon(Process.Start(info)!);
        _ = addon.ReportWhenReadyAsync(url, logger);
        return addon;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_process is not null)
        {
            // Ctrl+C reaches the child as well; a playground stopped any other way takes the add-on down here.
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task ReportWhenReadyAsync(Uri url, ILogger<LocalAddon> logger)
    {
        try
        {
            while (!_process!.HasExited)
            {
                if (await StatusAsync(new Uri(url, "/health/ready"), _stopping.Token) == HttpStatusCode.OK)
                {
                    var descriptor = new Uri(url, "/capabilities.json");
                    LogReady(logger, descriptor);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), _stopping.Token);
            }

            LogExited(logger, _process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            // The playground stopped first.
        }
    }

    /// <summary>What <paramref name="url"/> answers, or null when nothing does.</summary>
    private static async Task<HttpStatusCode?> StatusAsync(Uri url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = ProbeTimeout };
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            return response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>The repository's src/Api, recorded at build time: the playground is this repository's tool.</summary>
    private static string AddonProject() =>
        typeof(LocalAddon).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "AddonProject").Value!;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "An add-on already answers on {Url}: using it (it must list localhost in HipChat:AllowedHosts)")]
    private static partial void LogReused(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Starting the add-on on {Url} (dotnet run --project src/Api); it stops with the playground")]
    private static partial void LogStarting(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "The add-on is ready: install it from {DescriptorUrl}")]
    private static partial void LogReady(ILogger logger, Uri descriptorUrl);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The add-on stopped with exit code {ExitCode} before it was ready; its output is above")]
    private static partial void LogExited(ILogger logger, int exitCode);
}
