using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanAddon.LoadDriver;

/// <summary>
/// HipChat as the load benchmark needs it, on bare Kestrel so that HipChat's side costs the shared cores as little
/// as it can: the capabilities document, a token endpoint, and room notifications and glance updates that are
/// counted rather than stored. It checks what the add-on promises on the way: every echo arrives once, and a
/// room's glance updates arrive in the room's order (each count higher than the last; an update that a later one of
/// the same unit of work replaced is never sent, so counts may skip).
/// </summary>
internal sealed partial class HipChatSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, Room> _rooms = new();
    private readonly ConcurrentDictionary<string, int> _tokenRequests = new();
    private long _notifications;
    private long _glanceUpdates;
    private long _duplicates;
    private long _outOfOrder;

    private HipChatSink(WebApplication app) => _app = app;

    /// <summary>Under the host name <c>localhost</c>, which the add-on is told to allow.</summary>
    public Uri BaseUrl => new($"http://localhost:{new Uri(_app.Services.GetRequiredService<IServer>()
        .Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port}/");

    public Uri CapabilitiesUrl => new(BaseUrl, "v2/capabilities");

    public long Notifications => Interlocked.Read(ref _notifications);

    public long GlanceUpdates => Interlocked.Read(ref _glanceUpdates);

    /// <summary>Echoes that arrived a second time: exactly-once broken.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Glance updates whose count was not above the room's previous one: room order broken.</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    /// <summary>Whether every room's glance shows as many echoes as reached the room: its last update has arrived.</summary>
    public bool GlancesCaughtUp => _rooms.Values.All(room => room.CaughtUp);

    public int TokenRequestsFor(string oAuthId) => _tokenRequests.GetValueOrDefault(oAuthId);

    public static async Task<HipChatSink> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var sink = new HipChatSink(app);
        app.MapGet("/v2/capabilities", sink.Capabilities);
        app.MapPost("/v2/oauth/token", sink.IssueToken);
        app.MapPost("/v2/room/{roomId:long}/notification", sink.NotificationAsync);
        app.MapPost("/v2/addon/ui/room/{roomId:long}", sink.GlanceUpdateAsync);
        await app.StartAsync(cancellationToken);
        return sink;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult Capabilities() => Results.Json(new
    {
        links = new { self = CapabilitiesUrl.AbsoluteUri },
        capabilities = new
        {
            oauth2Provider = new { tokenUrl = new Uri(BaseUrl, "v2/oauth/token").AbsoluteUri },
            hipchatApiProvider = new { url = new Uri(BaseUrl, "v2/").AbsoluteUri },
        },
    });

    private IResult IssueToken(HttpContext context)
    {
        var basic = context.Request.Headers.Authorization.ToString();
        var credentials = basic.StartsWith("Basic ", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..]))
            : "";
        var oAuthId = credentials.Split(':')[0];
        _tokenRequests.AddOrUpdate(oAuthId, 1, (_, count) => count + 1);
        return Results.Json(new
        {
            access_token = "token-" + Guid.NewGuid().ToString("N"),
            expires_in = 3600,
            scope = "send_notification view_room",
            token_type = "bearer",
        });
    }

    private async Task<IResult> NotificationAsync(HttpContext context, long roomId)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var message = body.RootElement.GetProperty("message").GetString() ?? "";
        if (!_rooms.GetOrAdd(roomId, _ => new Room()).Echoed(message))
        {
            Interlocked.Increment(ref _duplicates);
        }

        Interlocked.Increment(ref _notifications);
        return Results.NoContent();
    }

    private async Task<IResult> GlanceUpdateAsync(HttpContext context, long roomId)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var label = body.RootElement.GetProperty("glance")[0].GetProperty("content").GetProperty("label")
            .GetProperty("value").GetString() ?? "";
        var count = long.Parse(Count().Match(label).Groups[1].Value, CultureInfo.InvariantCulture);
        if (!_rooms.GetOrAdd(roomId, _ => new Room()).Counted(count))
        {
            Interlocked.Increment(ref _outOfOrder);
        }

        Interlocked.Increment(ref _glanceUpdates);
        return Results.NoContent();
    }

    [GeneratedRegex("<b>([0-9]+)</b>")]
    private static partial Regex Count();

    private sealed class Room
    {
        private readonly HashSet<string> _echoes = new(StringComparer.Ordinal);
        private long _lastCount;

        public bool Echoed(string message)
        {
            lock (_echoes)
            {
                return _echoes.Add(message);
            }
        }

        public bool CaughtUp
        {
            get
            {
                lock (_echoes)
                {
                    return _lastCount == _echoes.Count;
                }
            }
        }

        public bool Counted(long count)
        {
            lock (_echoes)
            {
                var inOrder = count > _lastCount;
                _lastCount = Math.Max(_lastCount, count);
                return inOrder;
            }
        }
    }
}
