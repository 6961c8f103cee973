using System.Globalization;

namespace CleanAddon.LoadDriver;

internal sealed record DriverOptions(
    string Addon,
    string Baseline,
    string Work,
    string? Postgres,
    TimeSpan Warmup,
    TimeSpan Duration,
    int Rooms,
    TimeSpan DrainTimeout,
    string? Trace,
    bool SkipSqlite)
{
    public static DriverOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Required(string name) =>
            values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"{name} is required.");
        int Number(string name, int fallback) =>
            values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        return new DriverOptions(
            Path.GetFullPath(Required("--addon")),
            Path.GetFullPath(Required("--baseline")),
            Path.GetFullPath(Required("--work")),
            values.GetValueOrDefault("--postgres"),
            // A profiled run starts without precompiled code: give the JIT time to settle before it is sampled.
            TimeSpan.FromSeconds(Number("--warmup", values.ContainsKey("--trace") ? 30 : 5)),
            TimeSpan.FromSeconds(Number("--duration", 10)),
            Number("--rooms", 16),
            TimeSpan.FromSeconds(Number("--drain-timeout", 60)),
            values.GetValueOrDefault("--trace"),
            values.GetValueOrDefault("--skip-sqlite") == "true");
    }

    /// <summary>Where profiles go (--trace): artifacts/profiles under the working directory, kept after the run.</summary>
    public static string Profiles => Directory.CreateDirectory(Path.GetFullPath(Path.Combine("artifacts", "profiles"))).FullName;

    /// <summary>The databases to run the add-on on: SQLite files (unless <c>--skip-sqlite true</c>), then PostgreSQL when given.</summary>
    public IEnumerable<Database> Databases()
    {
        if (!SkipSqlite)
        {
            yield return new Database("SQLite", "Sqlite", purpose =>
            {
                var file = Path.Combine(Work, $"addon-{purpose}.db");
                foreach (var stale in Directory.GetFiles(Work, $"addon-{purpose}.db*"))
                {
                    File.Delete(stale);
                }

                return $"Data Source={file}";
            });
        }

        if (Postgres is not null)
        {
            // A database of its own per add-on run; the add-on creates it when it migrates.
            yield return new Database("PostgreSQL", "Postgres", purpose =>
                $"{Postgres.Replace("Database=postgres", "", StringComparison.Ordinal).TrimEnd(';')};"
                + $"Database=bench_{purpose}_{Guid.NewGuid():N}");
        }
    }
}

/// <summary>A store the add-on runs on, with a fresh database for each purpose (full run, accept alone).</summary>
internal sealed record Database(string Label, string Provider, Func<string, string> ConnectionString);
