using System.Globalization;

namespace CleanAddon.LoadDriver;

internal sealed record DriverOptions(
    string Addon, string Baseline, string Work, string? Postgres, TimeSpan Warmup, TimeSpan Duration)
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
        TimeSpan Seconds(string name, int fallback) => TimeSpan.FromSeconds(
            values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback);

        return new DriverOptions(
            Path.GetFullPath(Required("--addon")),
            Path.GetFullPath(Required("--baseline")),
            Path.GetFullPath(Required("--work")),
            values.GetValueOrDefault("--postgres"),
            Seconds("--warmup", 5),
            Seconds("--duration", 10));
    }

    /// <summary>The databases to run the add-on on: a fresh SQLite file, then PostgreSQL when given.</summary>
    public IEnumerable<(string Provider, string ConnectionString)> Providers()
    {
        var sqlite = Path.Combine(Work, "addon.db");
        foreach (var file in Directory.GetFiles(Work, "addon.db*"))
        {
            File.Delete(file);
        }

        yield return ("Sqlite", $"Data Source={sqlite}");
        if (Postgres is not null)
        {
            yield return ("Postgres", Postgres);
        }
    }
}
