using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CleanAddon.LoadDriver;

/// <summary>
/// A CPU profile of the server during one run: <c>perf record</c> samples its CPU clock with call stacks (the server
/// is started so that perf can name managed frames, see <see cref="ServerProcess"/>), then a summary is written
/// beside the recording: CPU by component of the frame that was running, and the methods with the most own time,
/// each as a share of the samples and as microseconds per request of the run.
/// </summary>
internal sealed partial class CpuProfile
{
    private const int Hertz = 999;
    private const int TopMethods = 30;

    private static readonly (Regex Pattern, string Component)[] Components =
    [
        (new("^Microsoft\\.EntityFrameworkCore"), "EF Core"),
        (new("^(Microsoft\\.Data\\.Sqlite|SQLitePCLRaw|libe_sqlite3)"), "SQLite"),
        (new("^Npgsql"), "Npgsql"),
        (new("^Microsoft\\.AspNetCore\\.Server\\.Kestrel|^System\\.Net\\.|^System\\.IO\\.Pipelines|^libSystem\\.Native"),
            "Kestrel, HttpClient, sockets"),
        (new("^Microsoft\\.AspNetCore\\.Mvc"), "MVC"),
        (new("^Microsoft\\.AspNetCore\\.(Authentication|Authorization)"), "ASP.NET Core authentication"),
        (new("^Microsoft\\.AspNetCore"), "ASP.NET Core other middleware, routing"),
        (new("^System\\.Text\\.Json"), "System.Text.Json"),
        (new("IdentityModel"), "JWT (IdentityModel)"),
        (new("^System\\.Security\\.Cryptography|^libcrypto|^libssl"), "cryptography"),
        (new("^Microsoft\\.Extensions\\.DependencyInjection"), "dependency injection"),
        (new("^Microsoft\\.Extensions\\.(Logging|Diagnostics|Telemetry)|^OpenTelemetry|^System\\.Diagnostics"),
            "logging, metrics, tracing"),
        (new("^Microsoft\\.Extensions\\.(Http|Resilience)|^Polly|^Refit"), "HttpClient pipeline, Refit, Polly"),
        (new("^(Mediator|FluentValidation)"), "mediator, validation"),
        (new("^CleanAddon"), "CleanAddon"),
        (new("^System\\.|^Microsoft\\.|^Anonymously Hosted"), "BCL and other libraries"),
        (new("^libclrjit"), "JIT (a profiled run has no precompiled code)"),
        (new("^libcoreclr"), "runtime: GC, type system, stubs"),
        (new("^\\[kernel"), "kernel: syscalls, network, disk, scheduling"),
        (new("^(libc|libm|ld-linux)"), "libc"),
    ];

    private readonly Process _perf;
    private readonly string _data;

    private CpuProfile(Process perf, string data)
    {
        _perf = perf;
        _data = data;
    }

    public static CpuProfile Start(string perf, ServerProcess server, string name, string directory)
    {
        var data = Path.Combine(directory, $"{name}.data");
        var info = new ProcessStartInfo(perf) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in (string[])
            ["record", "-e", "cpu-clock", "-F", $"{Hertz}", "-g", "-p", $"{server.Id}", "-o", data])
        {
            info.ArgumentList.Add(argument);
        }

        return new CpuProfile(Process.Start(info)!, data);
    }

    /// <summary>Stops recording and writes <c>{name}.txt</c>, the summary per each of <paramref name="requests"/>.</summary>
    public async Task StopAsync(long requests)
    {
        // perf writes its file when interrupted, as after Ctrl+C.
        using (var interrupt = Process.Start("kill", ["-INT", $"{_perf.Id}"]))
        {
            await interrupt.WaitForExitAsync();
        }

        await _perf.WaitForExitAsync();
        _perf.Dispose();

        var info = new ProcessStartInfo("perf") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in (string[])["script", "-i", _data, "-F", "ip,sym,dso"])
        {
            info.ArgumentList.Add(argument);
        }

        using var script = Process.Start(info)!;
        var summary = await SummarizeAsync(script.StandardOutput, requests);
        await script.WaitForExitAsync();
        await File.WriteAllTextAsync(Path.ChangeExtension(_data, ".txt"), summary);
    }

    private static async Task<string> SummarizeAsync(StreamReader frames, long requests)
    {
        var components = new Dictionary<string, int>(StringComparer.Ordinal);
        var methods = new Dictionary<string, int>(StringComparer.Ordinal);
        var ours = new Dictionary<string, int>(StringComparer.Ordinal);
        var samples = 0;
        string? owner = null;
        var inSample = false;
        while (await frames.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (inSample)
                {
                    var key = owner ?? "(no CleanAddon frame: Kestrel, thread pool, GC, timers)";
                    ours[key] = ours.GetValueOrDefault(key) + 1;
                }

                inSample = false;
                owner = null;
                continue;
            }

            var (component, method) = Classify(line.Trim());
            if (!inSample)
            {
                inSample = true;
                samples++;
                components[component] = components.GetValueOrDefault(component) + 1;
                methods[method] = methods.GetValueOrDefault(method) + 1;
            }

            // The innermost CleanAddon frame says which of the add-on's own work the sample belongs to.
            if (owner is null && component == "CleanAddon")
            {
                owner = OwnMethod(method);
            }
        }

        var perRequest = 1_000_000.0 / Hertz / Math.Max(1, requests);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{samples} samples at {Hertz} Hz = {samples / (double)Hertz:0.0} s of CPU over {requests} requests");
        text.AppendLine();
        text.AppendLine("| component (of the running frame) | share | µs per request |");
        text.AppendLine("|---|--:|--:|");
        foreach (var (component, count) in components.OrderByDescending(c => c.Value))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {component} | {count / (double)samples:P1} | {count * perRequest:0.0} |");
        }

        text.AppendLine();
        text.AppendLine("| innermost CleanAddon frame on the stack (its own work and what it called) | share | µs per request |");
        text.AppendLine("|---|--:|--:|");
        foreach (var (method, count) in ours.OrderByDescending(m => m.Value).Take(TopMethods))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| `{method}` | {count / (double)samples:P1} | {count * perRequest:0.0} |");
        }

        text.AppendLine();
        text.AppendLine($"| top {TopMethods} methods by own time | share | µs per request |");
        text.AppendLine("|---|--:|--:|");
        foreach (var (method, count) in methods.OrderByDescending(m => m.Value).Take(TopMethods))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| `{method}` | {count / (double)samples:P1} | {count * perRequest:0.0} |");
        }

        return text.ToString();
    }

    /// <summary>
    /// A perf frame line, <c>ip symbol (dso)</c>: its component, from the managed assembly the runtime's map names
    /// (<c>[Assembly] Type::Method(...)[Tier]</c>) or else the shared object; and a short name of its method.
    /// </summary>
    private static (string Component, string Method) Classify(string frame)
    {
        var dso = DsoOf().Match(frame) is { Success: true } d ? Path.GetFileName(d.Groups[1].Value) : "";
        var managed = ManagedOf().Match(frame);
        var origin = managed.Success ? managed.Groups[1].Value : dso;
        var component = Components.FirstOrDefault(c => c.Pattern.IsMatch(origin)).Component ?? $"other ({origin})";
        var method = managed.Success
            ? managed.Groups[2].Value
            : SymbolOf().Match(frame) is { Success: true } s ? $"{s.Groups[1].Value} ({dso})" : $"? ({dso})";
        return (component, method);
    }

    /// <summary>An async state machine's method named as written: <c>Type+&lt;SendAsync&gt;d__4::MoveNext</c> is <c>Type.SendAsync</c>.</summary>
    private static string OwnMethod(string method)
    {
        var stateMachine = StateMachineOf().Match(method);
        return stateMachine.Success ? $"{stateMachine.Groups[1].Value}.{stateMachine.Groups[2].Value}" : method;
    }

    [GeneratedRegex(@"^(.*?)\+<([^>]+)>d__\w*::MoveNext$")]
    private static partial Regex StateMachineOf();

    [GeneratedRegex(@"\(([^()]*)\)$")]
    private static partial Regex DsoOf();

    [GeneratedRegex(@"\[([A-Za-z][\w.]*)\] (?:[\w.`+<>|\[\],!]+ )*?([\w.`+<>|$\[\],!]+::[\w.`<>|$]+)")]
    private static partial Regex ManagedOf();

    [GeneratedRegex(@"^[0-9a-f]+ ([^ (]+)")]
    private static partial Regex SymbolOf();
}
