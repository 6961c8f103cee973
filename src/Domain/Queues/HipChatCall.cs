namespace CleanAddon.Domain.Queues;

/// <summary>
/// A call to HipChat a committed change promised, with the body exactly as HipChat expects it; delivered after the
/// commit, in its room's order, with retries.
/// </summary>
public sealed class HipChatCall : QueuedItem
{
    private HipChatCall(string oAuthId, long roomId, HipChatCallKind kind, string payload, DateTimeOffset createdAt, string? traceParent)
        : base(oAuthId, roomId, createdAt, traceParent)
    {
        Kind = kind;
        Payload = payload;
    }

    public HipChatCallKind Kind { get; private set; }

    /// <summary>The JSON body to send.</summary>
    public string Payload { get; private set; }

    public static HipChatCall Record(
        string oAuthId, long roomId, HipChatCallKind kind, string payload, DateTimeOffset now, string? traceParent = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new DomainRuleException($"'{kind}' is not a call the add-on makes to HipChat.");
        }

        return new HipChatCall(oAuthId, roomId, kind, payload, now, traceParent);
    }
}

/// <summary>The calls the add-on makes to a room (spec 7 and 8.2).</summary>
public enum HipChatCallKind
{
    RoomNotification = 1,
    RoomMessage = 2,
    GlanceUpdate = 3,
}
