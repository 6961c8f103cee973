using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CleanAddon.IntegrationTests.Infrastructure;

[assembly: AssemblyFixture(typeof(PostgresServer))]

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests create their databases in: the one <c>CLEANADDON_TEST_POSTGRES</c> names, or
/// else a throwaway cluster started on first use, as <c>scripts/postgres.sh</c> starts one (initdb as the
/// <c>postgres</c> OS user when running as root, a free loopback port, fsync off), and stopped when the run ends. So
/// <c>dotnet test</c> works from any runner where PostgreSQL is installed, and a run that only touches SQLite starts
/// nothing.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string ServerVariable = "CLEANADDON_TEST_POSTGRES";

    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static ThrowawayCluster? _cluster;
    private static string? _connectionString;

    /// <summary>A connection string to the server's <c>postgres</c> database, starting the cluster if need be.</summary>
    public static async Task<string> ConnectionStringAsync()
    {
        if (Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        await Starting.WaitAsync();
        try
        {
            if (_connectionString is null)
            {
                _cluster = await ThrowawayCluster.StartAsync();
                _connectionString = _cluster.ConnectionString;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _cluster?.Stop();
            }

            return _connectionString;
        }
        finally
        {
            Starting.Release();
        }
    }

    /// <summary>A program of the newest installed PostgreSQL (<c>pg_dump</c>, <c>psql</c>), whichever server the tests use.</summary>
    public static string Program(string name) =>
        ThrowawayCluster.ServerBinaries() is { } bin && File.Exists(Path.Combine(bin, name))
            ? Path.Combine(bin, name)
            : throw new InvalidOperationException(
                $"{name} is missing: install PostgreSQL (apt-get install postgresql), as scripts/test.sh does.");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _cluster?.Stop();
        return ValueTask.CompletedTask;
    }

    private sealed class ThrowawayCluster
    {
        private const int FirstPort = 55432;
        private const int Ports = 100;

        private readonly string _bin;
        private readonly string _root;
        private int _stopped;

        private ThrowawayCluster(string bin, string root, int port)
        {
            _bin = bin;
            _root = root;
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
        }

        public string ConnectionString { get; }

        private string Data => Path.Combine(_root, "data");

        public static async Task<ThrowawayCluster> StartAsync()
        {
            var bin = ServerBinaries() ?? throw new InvalidOperationException(
                $"PostgreSQL is not installed, and {ServerVariable} names no server. Install it "
                + "(apt-get install postgresql) and run the tests again, which then start a throwaway cluster of "
                + $"their own; or set {ServerVariable} to a server of yours "
                + "(Host=127.0.0.1;Port=5432;Username=postgres); or run scripts/test.sh, which installs it.");
            var root = Directory.CreateTempSubdirectory("cleanaddon-pg.").FullName;
            Directory.CreateDirectory(Path.Combine(root, "data"));
            Directory.CreateDirectory(Path.Combine(root, "sock"));
            if (Environment.IsPrivilegedProcess)
            {
                // The server refuses to run as root: the cluster belongs to the postgres OS user.
                await RunAsync("chown", ["-R", "postgres:postgres", root]);
            }

            await RunAsync(
                Path.Combine(bin, "initdb"),
                ["-D", Path.Combine(root, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
                asPostgres: true);

            // A port that looks free can be taken before the server binds it (other runs on this machine): try the next.
            var offset = Random.Shared.Next(Ports);
            for (var i = 0; i < Ports; i++)
            {
                var port = FirstPort + ((offset + i) % Ports);
                if (IsTaken(port))
                {
                    continue;
                }

                var cluster = new ThrowawayCluster(bin, root, port);
                if (await cluster.TryStartAsync(port))
                {
                    cluster.StopWhenThisProcessIsGone();
                    return cluster;
                }
            }

            var log = Path.Combine(root, "server.log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(5)) : "";
            Directory.Delete(root, recursive: true);
            throw new InvalidOperationException(
                $"PostgreSQL did not start on any port from {FirstPort} to {FirstPort + Ports - 1}:\n{tail}");
        }

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            using var stop = Start(
                Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"], asPostgres: true);
            stop.WaitForExit(TimeSpan.FromSeconds(30));
            Directory.Delete(_root, recursive: true);
        }

        /// <summary>
        /// A run killed outright never disposes its fixtures: a watchdog in a session of its own stops the cluster
        /// and deletes its files once this process is gone (after a normal stop it finds nothing left to do).
        /// </summary>
        private void StopWhenThisProcessIsGone()
        {
            var stop = $"'{Path.Combine(_bin, "pg_ctl")}' -D '{Data}' -m immediate -w stop";
            if (Environment.IsPrivilegedProcess)
            {
                stop = "runuser -u postgres -- " + stop;
            }

            var watchdog = new ProcessStartInfo("setsid") { UseShellExecute = false };
            foreach (var argument in new[]
            {
                "sh", "-c",
                $"exec >/dev/null 2>&1 </dev/null; while kill -0 {Environment.ProcessId}; do sleep 1; done; "
                + $"{stop}; rm -rf '{_root}'",
            })
            {
                watchdog.ArgumentList.Add(argument);
            }

            Process.Start(watchdog)?.Dispose();
        }

        private async Task<bool> TryStartAsync(int port)
        {
            // fsync off: a throwaway cluster, nothing to keep.
            using var start = Start(
                Path.Combine(_bin, "pg_ctl"),
                [
                    "-D", Data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "30", "-o",
                    $"-p {port} -k {Path.Combine(_root, "sock")} -c listen_addresses=127.0.0.1 -c fsync=off "
                    + "-c max_connections=300",
                    "start",
                ],
                asPostgres: true);
            await start.WaitForExitAsync();
            return start.ExitCode == 0;
        }

        /// <summary>The newest installed server's bin directory, as <c>ls -d /usr/lib/postgresql/*/bin | sort -V</c>.</summary>
        public static string? ServerBinaries() =>
            Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(version => Path.Combine(version, "bin"))
                    .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                    .OrderBy(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                    .LastOrDefault()
                : null;

        private static bool IsTaken(int port)
        {
            using var probe = new TcpClient();
            try
            {
                probe.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres = false)
        {
            using var process = Start(file, arguments, asPostgres);
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{Path.GetFileName(file)} failed ({process.ExitCode}): {await output}{await error}");
            }
        }

        private static Process Start(string file, IReadOnlyList<string> arguments, bool asPostgres)
        {
            var info = new ProcessStartInfo(asPostgres && Environment.IsPrivilegedProcess ? "runuser" : file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (asPostgres && Environment.IsPrivilegedProcess)
            {
                foreach (var argument in new[] { "-u", "postgres", "--", file })
                {
                    info.ArgumentList.Add(argument);
                }
            }

            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            return Process.Start(info)!;
        }
    }
}
