using System.Globalization;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Glances;

namespace CleanAddon.Application.Sample;

/// <summary>The sample glance: how many messages the add-on echoed in the room.</summary>
public sealed class EchoCountGlance(IAddonDbContext db) : IGlanceHandler
{
    public const string Key = "sample-glance";

    public async ValueTask<GlanceContent> GetAsync(GlanceContext context, CancellationToken cancellationToken)
    {
        var room = await db.Set<RoomActivity>().FindAsync([context.OAuthId, context.RoomId], cancellationToken);
        return Describe(room?.EchoCount ?? 0);
    }

    public static GlanceContent Describe(long echoes) =>
        new(new GlanceLabel(string.Create(
            CultureInfo.InvariantCulture, $"<b>{echoes}</b> {(echoes == 1 ? "echo" : "echoes")}")));
}
