using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.Application.Sample;

/// <summary>The tutorial's echo: every room message comes back as <c>echo &lt;message&gt;</c>, and the glance counts them.</summary>
public sealed class EchoHandler(IAddonDbContext db) : IWebhookHandler<RoomMessageEvent>
{
    // A handler lives as long as its unit of work, which handles a whole round of webhooks: an installation's settings
    // are read once for all of them (an installation that never saved any would otherwise be asked for every webhook).
    private readonly Dictionary<string, InstallationSettings> _settings = new(StringComparer.Ordinal);

    public async ValueTask HandleAsync(RoomMessageEvent webhook, WebhookContext context, CancellationToken cancellationToken)
    {
        var rooms = db.Set<RoomActivity>();
        var room = await rooms.FindAsync([context.OAuthId, context.RoomId], cancellationToken);
        if (room is null)
        {
            room = RoomActivity.Start(context.OAuthId, context.RoomId);
            rooms.Add(room);
        }

        if (!_settings.TryGetValue(context.OAuthId, out var settings))
        {
            settings = await db.Set<InstallationSettings>().FindAsync([context.OAuthId], cancellationToken)
                ?? InstallationSettings.Defaults(context.OAuthId);
            _settings[context.OAuthId] = settings;
        }

        var echoes = room.RecordEcho();
        context.Room.Notify(
            $"{settings.EchoPrefix} {webhook.Text}", Enum.Parse<NotificationColor>(settings.Color, ignoreCase: true));
        if (settings.GlanceEnabled)
        {
            context.Room.UpdateGlance(EchoCountGlance.Key, EchoCountGlance.Describe(echoes));
        }
    }
}
