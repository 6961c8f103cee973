using System.Globalization;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;

namespace CleanAddon.HipChatPlayground;

/// <summary>A room of the playground's one group.</summary>
public sealed record Room(long Id, string Name);

/// <summary>An add-on installed from the playground: HipChat's OAuth client for it and its descriptor.</summary>
public sealed record PlaygroundInstallation(
    EmulatedInstallation OAuth, Uri DescriptorUrl, JsonObject Descriptor, long WebhookIdBase)
{
    public string Name => Descriptor["name"]?.GetValue<string>() ?? Descriptor["key"]?.GetValue<string>() ?? "Add-on";

    public bool AppliesTo(long roomId) => OAuth.RoomId is null || OAuth.RoomId == roomId;

    public JsonObject? Installable => Descriptor["capabilities"]?["installable"] as JsonObject;

    public IEnumerable<JsonObject> Modules(string capability) =>
        (Descriptor["capabilities"]?[capability] as JsonArray ?? []).OfType<JsonObject>();
}

/// <summary>One line of a room's history: a message, a notification, or a note of the playground's.</summary>
public sealed record FeedItem(long Seq, long RoomId, string Kind, string From, DateTimeOffset Date, JsonNode Body);

/// <summary>The latest glance content an add-on pushed to a room.</summary>
public sealed record GlanceUpdate(long Seq, string OAuthId, string Key, JsonNode Content);

/// <summary>What the playground remembers: installations, rooms' histories and pushed glances. In memory only.</summary>
public sealed class Playground
{
    public static readonly IReadOnlyList<Room> Rooms = [new(1, "Playground"), new(2, "Random")];

    /// <summary>The one user clicking around, as the emulator's all.js also reports it.</summary>
    public static readonly JsonObject User = new()
    {
        ["id"] = 4979430, ["name"] = "Emulated User", ["mention_name"] = "emulated", ["version"] = "00000000",
    };

    public const string UserId = "4979430";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PlaygroundInstallation> _installations = new(StringComparer.Ordinal);
    private readonly List<FeedItem> _feed = [];
    private readonly Dictionary<(long Room, string OAuthId, string Key), GlanceUpdate> _glances = [];
    private long _seq;
    private long _webhookIds = 17775373;

    public static Room? FindRoom(string idOrName) =>
        Rooms.FirstOrDefault(r => r.Id.ToString(CultureInfo.InvariantCulture) == idOrName
            || string.Equals(r.Name, idOrName, StringComparison.OrdinalIgnoreCase));

    public PlaygroundInstallation Add(EmulatedInstallation oauth, Uri descriptorUrl, JsonObject descriptor)
    {
        lock (_lock)
        {
            var installation = new PlaygroundInstallation(oauth, descriptorUrl, descriptor, _webhookIds);
            _webhookIds += 100;
            _installations[oauth.OAuthId] = installation;
            return installation;
        }
    }

    public PlaygroundInstallation? Find(string oAuthId)
    {
        lock (_lock)
        {
            return _installations.GetValueOrDefault(oAuthId);
        }
    }

    public void Remove(string oAuthId)
    {
        lock (_lock)
        {
            _installations.Remove(oAuthId);
            foreach (var key in _glances.Keys.Where(k => k.OAuthId == oAuthId).ToList())
            {
                _glances.Remove(key);
            }
        }
    }

    public IReadOnlyList<PlaygroundInstallation> InstallationsIn(long roomId)
    {
        lock (_lock)
        {
            return [.. _installations.Values.Where(i => i.AppliesTo(roomId))];
        }
    }

    public FeedItem Post(long roomId, string kind, string from, JsonNode body)
    {
        lock (_lock)
        {
            var item = new FeedItem(++_seq, roomId, kind, from, DateTimeOffset.UtcNow, body);
            _feed.Add(item);
            return item;
        }
    }

    public void Note(long roomId, string text) =>
        Post(roomId, "system", "Playground", new JsonObject { ["message"] = text });

    /// <summary>What happened in a room after <paramref name="after"/>, and the glances pushed to it.</summary>
    public (long Seq, IReadOnlyList<FeedItem> Items, IReadOnlyList<GlanceUpdate> Glances) Since(long roomId, long after)
    {
        lock (_lock)
        {
            return (_seq,
                [.. _feed.Where(i => i.RoomId == roomId && i.Seq > after)],
                [.. _glances.Where(g => g.Key.Room == roomId).Select(g => g.Value)]);
        }
    }

    /// <summary>Shows in its room what HipChat took from an add-on: notifications, messages, glance updates.</summary>
    public void Accept(AcceptedRoomCall call)
    {
        if (FindRoom(call.Room) is not { } room || Find(call.OAuthId) is not { } installation)
        {
            return;
        }

        switch (call.Kind)
        {
            case RoomCallKind.Notification:
                Post(room.Id, "notification", installation.Name, call.Body.DeepClone());
                break;
            case RoomCallKind.Message:
                Post(room.Id, "message", installation.Name, call.Body.DeepClone());
                break;
            case RoomCallKind.GlanceUpdate:
                UpdateGlances(room.Id, call.OAuthId, call.Body["glance"]!.AsArray());
                break;
        }
    }

    private void UpdateGlances(long roomId, string oAuthId, JsonArray glances)
    {
        lock (_lock)
        {
            foreach (var glance in glances.OfType<JsonObject>())
            {
                var key = glance["key"]!.GetValue<string>();
                _glances[(roomId, oAuthId, key)] =
                    new GlanceUpdate(++_seq, oAuthId, key, glance["content"]!.DeepClone());
            }
        }
    }
}
