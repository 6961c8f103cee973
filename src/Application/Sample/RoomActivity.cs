using CleanAddon.Application.Extensibility;

namespace CleanAddon.Application.Sample;

/// <summary>What the sample add-on remembers about one room of one installation.</summary>
public sealed class RoomActivity : IInstallationOwned
{
    private RoomActivity(string oAuthId, long roomId, long echoCount)
    {
        OAuthId = oAuthId;
        RoomId = roomId;
        EchoCount = echoCount;
    }

    public string OAuthId { get; private set; }

    public long RoomId { get; private set; }

    public long EchoCount { get; private set; }

    public static RoomActivity Start(string oAuthId, long roomId) => new(oAuthId, roomId, 0);

    public long RecordEcho() => ++EchoCount;
}
