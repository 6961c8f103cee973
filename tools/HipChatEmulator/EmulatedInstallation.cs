using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CleanAddon.HipChatEmulator;

/// <summary>An OAuth client HipChat created for one installation of an add-on.</summary>
public sealed record EmulatedInstallation(
    [property: JsonPropertyName("oauthId")] string OAuthId,
    [property: JsonPropertyName("oauthSecret")] string OAuthSecret,
    [property: JsonPropertyName("capabilitiesUrl")] Uri CapabilitiesUrl,
    [property: JsonPropertyName("groupId")] long GroupId,
    [property: JsonPropertyName("roomId")] long? RoomId)
{
    /// <summary>The install callback body HipChat POSTs (a global install has no roomId).</summary>
    public Dictionary<string, object> ToCallbackBody()
    {
        var body = new Dictionary<string, object>
        {
            ["oauthId"] = OAuthId,
            ["oauthSecret"] = OAuthSecret,
            ["capabilitiesUrl"] = CapabilitiesUrl.AbsoluteUri,
            ["groupId"] = GroupId,
        };
        if (RoomId is { } room)
        {
            body["roomId"] = room;
        }

        return body;
    }
}

/// <summary>One HTTP call the emulator received.</summary>
public sealed record RecordedCall(
    string Method, string Path, string? Authorization, string Body, DateTimeOffset ReceivedAt)
{
    /// <summary>The status answered, set before the caller can see it; null while the call is in progress.</summary>
    public int? Status { get; internal set; }

    /// <summary>Answered 2xx: HipChat took the call.</summary>
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// An answer the emulator gives instead of the real one, after <paramref name="Delay"/>, for fault injection; no
/// <paramref name="Status"/> means the real answer, only late, its body a further <paramref name="BodyDelay"/> after
/// its status and headers.
/// </summary>
public sealed record InjectedFault(
    int? Status, IReadOnlyDictionary<string, string> Headers, TimeSpan Delay, TimeSpan BodyDelay = default);

/// <summary>Calls the emulator keeps waiting (<see cref="HipChatServer.Hold"/>) until they are let through.</summary>
public sealed class HeldCalls : IDisposable
{
    private readonly Action _removed;
    private readonly SemaphoreSlim _passes = new(0);
    private volatile bool _open;

    internal HeldCalls(Action removed) => _removed = removed;

    /// <summary>Lets <paramref name="count"/> held or future calls through, one each.</summary>
    public void Release(int count) => _passes.Release(count);

    /// <summary>Lets every call through, now and from now on.</summary>
    public void Dispose()
    {
        _open = true;
        _removed();
        _passes.Release(int.MaxValue / 2);
    }

    internal async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (!_open)
        {
            await _passes.WaitAsync(cancellationToken);
        }
    }
}

/// <summary>What a room call HipChat took does in the room.</summary>
public enum RoomCallKind
{
    Notification,
    Message,
    GlanceUpdate,
}

/// <summary>A room call HipChat took: which installation sent what to which room (id or name, as in the path).</summary>
public sealed record AcceptedRoomCall(string OAuthId, string Room, RoomCallKind Kind, JsonNode Body);
