using System.Diagnostics;
using System.Globalization;

namespace CleanAddon.LoadDriver;

/// <summary>One wrk run's figures, as the scripts' <c>done()</c> hook prints them.</summary>
internal sealed record WrkResult(long Requests, TimeSpan Duration, double P50Ms, double P99Ms, long Errors)
{
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;

    /// <summary>Requests answered 2xx or 3xx: wrk counts the others, socket errors and timeouts among the errors.</summary>
    public long Accepted => Requests - Errors;
}

/// <summary>Runs wrk (one client thread, so it leaves the server a core of the two) against loopback only.</summary>
internal static class Wrk
{
    public const int Connections = 32;
    private const string ResultMarker = "RESULT ";

    public static async Task<WrkResult> RunAsync(
        Uri url, string script, TimeSpan duration, IEnumerable<string> scriptArguments, CancellationToken cancellationToken)
    {
        if (!url.IsLoopback)
        {
            throw new ArgumentException("Load goes to loopback only.", nameof(url));
        }

        var info = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])
            ["-t1", $"-c{Connections}", $"-d{(int)duration.TotalSeconds}s", "--timeout", "5s", "-s", script, url.AbsoluteUri, "--"])
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in scriptArguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var wrk = Process.Start(info)!;
        try
        {
            var output = wrk.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = wrk.StandardError.ReadToEndAsync(cancellationToken);
            await wrk.WaitForExitAsync(cancellationToken);
            var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith(ResultMarker, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk printed no result: {await output}{await errors}");
            return Parse(line[ResultMarker.Length..]);
        }
        finally
        {
            if (!wrk.HasExited)
            {
                wrk.Kill();
            }
        }
    }

    private static WrkResult Parse(string figures)
    {
        var f = figures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture))
            .ToArray();
        return new WrkResult(
            (long)f[0], TimeSpan.FromMicroseconds(f[1]), f[2] / 1000, f[3] / 1000, (long)f[4]);
    }
}
