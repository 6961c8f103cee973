using System.Globalization;
using System.Text.Json.Nodes;

namespace CleanAddon.LoadDriver;

/// <summary>
/// wrk scripts. Each prints one machine-readable line when done: requests, duration (µs), p50 and p99 latency (µs),
/// and every error (socket errors, timeouts and non-2xx/3xx answers) summed.
/// </summary>
internal static class LuaScripts
{
    private const string Report = """
        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("RESULT %d %d %.0f %.0f %d\n", summary.requests, summary.duration,
            latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
        end

        """;

    /// <summary>A plain GET of the URL wrk is given, paced to about <paramref name="requestsPerSecond"/> when set.</summary>
    public static string Get(string directory, string name, double? requestsPerSecond) =>
        Write(directory, name, Pace(requestsPerSecond) + Report);

    /// <summary>
    /// A room_message webhook whose <c>item.message.id</c> differs on every request (first script argument: a run
    /// prefix), so de-duplication never short-circuits; the JWT is reused, as HipChat may within its lifetime.
    /// Paced like <see cref="Get"/> when <paramref name="requestsPerSecond"/> is set.
    /// </summary>
    public static string Webhook(string directory, string name, JsonObject payload, string jwt, double? requestsPerSecond)
    {
        const string Marker = "@MESSAGE_ID@";
        payload["item"]!["message"]!["id"] = Marker;
        var parts = payload.ToJsonString().Split(Marker);
        var script = $"""
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "JWT {jwt}"
            local before = {Quote(parts[0])}
            local after = {Quote(parts[1])}
            local run = "run"
            local sent = 0

            function init(args)
              run = args[1] or tostring(os.time())
            end

            function request()
              sent = sent + 1
              return wrk.format(nil, nil, nil, before .. run .. "-" .. sent .. after)
            end

            """;
        return Write(directory, name, script + Pace(requestsPerSecond) + Report);
    }

    /// <summary>
    /// wrk has no rate limit; its <c>delay()</c> hook pauses a connection before each request, so that every
    /// connection sends about rate/connections requests a second. wrk takes whole milliseconds: the pause is
    /// rounded up or down at random so that it averages out exact.
    /// </summary>
    private static string Pace(double? requestsPerSecond) =>
        requestsPerSecond is not { } rate
            ? ""
            : $$"""
                local pause = {{(Wrk.Connections * 1000.0 / rate).ToString("0.###", CultureInfo.InvariantCulture)}}

                function delay()
                  local whole = math.floor(pause)
                  if math.random() < pause - whole then whole = whole + 1 end
                  return whole
                end

                """;

    /// <summary>A Lua long-bracket string literal: taken as is, no escapes.</summary>
    private static string Quote(string text) =>
        text.Contains("]==]", StringComparison.Ordinal)
            ? throw new ArgumentException("The text would end its own literal.", nameof(text))
            : "[==[" + text + "]==]";

    private static string Write(string directory, string name, string script)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, script);
        return path;
    }
}
