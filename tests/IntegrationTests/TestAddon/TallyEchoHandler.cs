using System.Collections.Concurrent;
using System.Globalization;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.IntegrationTests.TestAddon;

/// <summary>
/// Echoes a room message as <c>echo &lt;text&gt;</c>, counts it in the room's <see cref="RoomTally"/> and pushes the
/// count to the glance. A message starting with <see cref="TestAddonModule.FailingPrefix"/> does all of that and then
/// throws, none of which may commit, until a test <see cref="Heal"/>s that text.
/// </summary>
public sealed class TallyEchoHandler(IAddonDbContext db) : IWebhookHandler<RoomMessageEvent>
{
    private static readonly ConcurrentDictionary<string, bool> Healed = new(StringComparer.Ordinal);

    /// <summary>From now on, the failing message <paramref name="text"/> is handled like any other (tests use unique texts).</summary>
    public static void Heal(string text) => Healed[text] = true;

    public async ValueTask HandleAsync(RoomMessageEvent webhook, WebhookContext context, CancellationToken cancellationToken)
    {
        var tallies = db.Set<RoomTally>();
        var tally = await tallies.FindAsync([context.OAuthId, context.RoomId], cancellationToken);
        if (tally is null)
        {
            tally = RoomTally.Start(context.OAuthId, context.RoomId);
            tallies.Add(tally);
        }

        var echoes = tally.Count();
        context.Room.Notify($"echo {webhook.Text}");
        context.Room.UpdateGlance(TestAddonModule.GlanceKey, TallyGlance.Describe(echoes));
        if (webhook.Text is { } text && text.StartsWith(TestAddonModule.FailingPrefix, StringComparison.Ordinal)
            && !Healed.ContainsKey(text))
        {
            throw new InvalidOperationException("The test add-on's handler fails after changing its state and queueing its calls.");
        }
    }
}

/// <summary>The glance: the room's echo count, read from the test add-on's own table.</summary>
public sealed class TallyGlance(IAddonDbContext db) : IGlanceHandler
{
    public async ValueTask<GlanceContent> GetAsync(GlanceContext context, CancellationToken cancellationToken)
    {
        var tally = await db.Set<RoomTally>().FindAsync([context.OAuthId, context.RoomId], cancellationToken);
        return Describe(tally?.Echoes ?? 0);
    }

    public static GlanceContent Describe(long echoes) =>
        new(new GlanceLabel(string.Create(
            CultureInfo.InvariantCulture, $"<b>{echoes}</b> {(echoes == 1 ? "echo" : "echoes")}")));
}
