using System.Globalization;

namespace CleanAddon.DeliveryBenchmark;

/// <summary>The command line: <c>--name value</c> pairs, each with a default.</summary>
internal sealed record BenchmarkOptions(
    int Messages, int Installations, int RoomsPerInstallation, string Provider, string? ConnectionString, TimeSpan TokenLifetime)
{
    public const string Usage = """
        dotnet run -c Release --project benchmarks/DeliveryBenchmark -- [options]
          --messages N          notifications to deliver (default 5000)
          --installations N     global installations (default 4)
          --rooms N             rooms per installation (default 8, at most 999)
          --provider P          Sqlite (default, a file in the temp directory) or Postgres
          --connection CS       connection string; required for Postgres (an empty database)
          --token-lifetime S    expires_in of the emulator's tokens in seconds, > 60 (default 3600)
        """;

    private const int MaxRooms = 999;

    /// <summary>Room numbers unique per installation, so a notification's path names its installation too.</summary>
    public static long Room(int installationIndex, int roomIndex) => (1000L * (installationIndex + 1)) + roomIndex;

    public static BenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected an option, found '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        if (args.Length % 2 != 0)
        {
            throw new ArgumentException($"Option '{args[^1]}' has no value.");
        }

        var options = new BenchmarkOptions(
            Number(values, "messages", 5000),
            Number(values, "installations", 4),
            Number(values, "rooms", 8),
            values.GetValueOrDefault("provider", "Sqlite"),
            values.GetValueOrDefault("connection"),
            TimeSpan.FromSeconds(Number(values, "token-lifetime", 3600)));
        if (options.RoomsPerInstallation > MaxRooms)
        {
            throw new ArgumentException($"--rooms is at most {MaxRooms}.");
        }

        if (options.Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) && options.ConnectionString is null)
        {
            throw new ArgumentException("--provider Postgres needs --connection.");
        }

        return options.TokenLifetime <= TimeSpan.FromSeconds(60)
            ? throw new ArgumentException("--token-lifetime must exceed the 60 s renewal margin.")
            : options;
    }

    private static int Number(Dictionary<string, string> values, string name, int fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 ? number
        : throw new ArgumentException($"--{name} must be a positive whole number.");
}
