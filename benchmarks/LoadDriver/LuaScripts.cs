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
    /// room_message webhooks as HipChat sends them to a global installation: round-robin over <paramref name="rooms"/>,
    /// each with a JWT for its room, and an <c>item.message.id</c> (also the message text, so every echo is unique)
    /// that differs on every request (first script argument: a run prefix), so de-duplication never short-circuits.
    /// Paced like <see cref="Get"/> when <paramref name="requestsPerSecond"/> is set.
    /// </summary>
    public static string Webhook(
        string directory, string name, JsonObject payload, IReadOnlyList<(long Room, string Jwt)> rooms, double? requestsPerSecond)
    {
        const string Id = "@MESSAGE_ID@", Text = "@TEXT@";
        const long Room = 987654321987;
        payload["item"]!["message"]!["id"] = Id;
        payload["item"]!["message"]!["message"] = Text;
        payload["item"]!["room"]!["id"] = Room;
        var parts = payload.ToJsonString().Split([Id, Text, Room.ToString(CultureInfo.InvariantCulture)], StringSplitOptions.None);
        if (parts.Length != 4)
        {
            throw new ArgumentException("The payload must hold the message id, the text and the room once each.", nameof(payload));
        }

        var table = string.Join(",\n", rooms.Select(r => string.Create(
            CultureInfo.InvariantCulture, $"  {{ id = \"{r.Room}\", jwt = \"JWT {r.Jwt}\" }}")));
        var script = $$"""
            wrk.method = "POST"
            local rooms = {
            {{table}}
            }
            local p1 = {{Quote(parts[0])}}
            local p2 = {{Quote(parts[1])}}
            local p3 = {{Quote(parts[2])}}
            local p4 = {{Quote(parts[3])}}
            local run = "run"
            local sent = 0

            function init(args)
              run = args[1] or tostring(os.time())
              for _, room in ipairs(rooms) do
                room.headers = { ["Content-Type"] = "application/json", ["Authorization"] = room.jwt }
              end
            end

            function request()
              sent = sent + 1
              local room = rooms[sent % #rooms + 1]
              local id = run .. "-" .. sent
              return wrk.format(nil, nil, room.headers, p1 .. id .. p2 .. "load " .. id .. p3 .. room.id .. p4)
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
