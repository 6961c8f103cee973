using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanAddon.HipChatEmulator;

/// <summary>
/// The HipChat side of HipChat Connect as a real HTTP server on loopback: capabilities document, token endpoint
/// (basic auth, client credentials, expiry), room notifications and glance updates (bearer tokens checked),
/// installable documents for the uninstall flow, and HipChat-signed JWTs. Everything it receives under
/// <c>/v2/</c> is recorded, and faults can be injected per path. It runs on a server of its own
/// (<see cref="StartAsync"/>, for tests) or inside another application (<see cref="MapInto"/>, the playground).
/// </summary>
public sealed class HipChatServer : IAsyncDisposable
{
    private const string ApiPrefix = "/v2/";
    private const int ClientClosedRequest = 499;

    private readonly WebApplication _app;
    private readonly bool _ownsApp;
    private readonly ConcurrentDictionary<string, EmulatedInstallation> _installations = new();
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new();
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<InjectedFault>> _faults = new();
    private readonly ConcurrentDictionary<string, HeldCalls> _holds = new();
    private readonly ConcurrentDictionary<string, int> _tokenRequests = new();
    private readonly SemaphoreSlim _recorded = new(0);

    private Uri? _baseUrl;

    private HipChatServer(WebApplication app, string host, bool ownsApp)
    {
        _app = app;
        Host = host;
        _ownsApp = ownsApp;
    }

    /// <summary>The host name the add-on is told to use; put it in the add-on's <c>HipChat:AllowedHosts</c>.</summary>
    public string Host { get; }

    /// <summary>Where the add-on reaches HipChat: the server's port under <see cref="Host"/>; known once it started.</summary>
    public Uri BaseUrl => _baseUrl ??= new Uri($"http://{Host}:{new Uri(_app.Services.GetRequiredService<IServer>()
        .Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port}/");

    public Uri CapabilitiesUrl => new(BaseUrl, "v2/capabilities");

    public Uri TokenUrl => new(BaseUrl, "v2/oauth/token");

    public Uri ApiUrl => new(BaseUrl, "v2/");

    /// <summary>How long issued access tokens live (HipChat: <c>expires_in</c>).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Called for every room call HipChat took (2xx) from an installation, as it answers.</summary>
    public Action<AcceptedRoomCall> RoomCallAccepted { get; set; } = _ => { };

    /// <summary>Rewrites the capabilities document before it is served, to play a broken or hostile HipChat.</summary>
    public Func<JsonObject, JsonObject> CapabilitiesDocument { get; set; } = document => document;

    public IReadOnlyList<RecordedCall> Calls => [.. _calls];

    public IReadOnlyList<RecordedCall> Notifications => Received("/notification");

    /// <summary>Notifications HipChat accepted (2xx), in the order they arrived.</summary>
    public IReadOnlyList<RecordedCall> DeliveredNotifications => [.. Notifications.Where(c => c.Succeeded)];

    public IReadOnlyList<RecordedCall> GlanceUpdates => [.. _calls.Where(c => c.Path.Contains("/addon/ui/", StringComparison.Ordinal))];

    public static async Task<HipChatServer> StartAsync(string host = "localhost", CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new HipChatServer(app, host, ownsApp: true);
        app.Use(server.RecordAsync);
        server.MapEndpoints(app, "{**path}");
        await app.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>
    /// Maps HipChat's endpoints (<c>/v2/...</c> and all.js) into <paramref name="app"/>, before it starts; the
    /// caller owns the application, and <see cref="BaseUrl"/> is its first address under <paramref name="host"/>.
    /// </summary>
    public static HipChatServer MapInto(WebApplication app, string host = "localhost")
    {
        var server = new HipChatServer(app, host, ownsApp: false);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(ApiPrefix.TrimEnd('/'), StringComparison.Ordinal),
            branch => branch.Use(server.RecordAsync));
        server.MapEndpoints(app, ApiPrefix + "{**path}");
        return server;
    }

    /// <summary>Creates the OAuth client of a new installation (global when <paramref name="roomId"/> is null).</summary>
    public EmulatedInstallation CreateInstallation(long? roomId, long groupId = 1)
    {
        var installation = new EmulatedInstallation(
            Guid.NewGuid().ToString(),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            CapabilitiesUrl,
            groupId,
            roomId);
        _installations[installation.OAuthId] = installation;
        return installation;
    }

    /// <summary>Makes HipChat know an installation built elsewhere, e.g. one whose secret was rotated.</summary>
    public void Register(EmulatedInstallation installation) => _installations[installation.OAuthId] = installation;

    /// <summary>HipChat forgets the installation: its installable URL answers 404 and its credentials stop working.</summary>
    public void RemoveInstallation(string oAuthId)
    {
        _installations.TryRemove(oAuthId, out _);
        foreach (var (token, issued) in _tokens)
        {
            if (issued.OAuthId == oAuthId)
            {
                _tokens.TryRemove(token, out _);
            }
        }
    }

    /// <summary>Revokes every access token issued so far, as HipChat may before they expire.</summary>
    public void RevokeAccessTokens() => _tokens.Clear();

    public Uri InstallableUrl(string oAuthId) => new(BaseUrl, $"v2/addon/installable/{oAuthId}");

    public int TokenRequestsFor(string oAuthId) => _tokenRequests.GetValueOrDefault(oAuthId);

    /// <summary>A JWT as HipChat signs it for a webhook, page or glance of this installation.</summary>
    public static string SignJwt(
        EmulatedInstallation installation, long? roomId = null, string? userId = "4979430", TimeSpan? lifetime = null) =>
        HipChatJwt.Sign(
            HipChatJwt.Header(),
            HipChatJwt.Payload(installation.OAuthId, userId, roomId ?? installation.RoomId, DateTimeOffset.UtcNow,
                lifetime ?? TimeSpan.FromMinutes(15)),
            installation.OAuthSecret);

    /// <summary>The next <paramref name="times"/> calls whose path ends with <paramref name="pathSuffix"/> get this answer.</summary>
    public void InjectFault(
        string pathSuffix, int status, int times = 1, IReadOnlyDictionary<string, string>? headers = null,
        TimeSpan delay = default) =>
        Enqueue(pathSuffix, new InjectedFault(status, headers ?? new Dictionary<string, string>(), delay), times);

    /// <summary>
    /// The next <paramref name="times"/> calls whose path ends with <paramref name="pathSuffix"/> get their real
    /// answer, but only after <paramref name="delay"/>: a caller that gives up first is recorded with status 499 and
    /// HipChat takes nothing; one that waits is served as usual.
    /// </summary>
    public void InjectDelay(string pathSuffix, TimeSpan delay, int times = 1) =>
        Enqueue(pathSuffix, new InjectedFault(null, new Dictionary<string, string>(), delay), times);

    /// <summary>
    /// The next <paramref name="times"/> calls whose path ends with <paramref name="pathSuffix"/> get their real answer,
    /// but its body only <paramref name="delay"/> after the status and headers.
    /// </summary>
    public void DelayBody(string pathSuffix, TimeSpan delay, int times = 1) =>
        Enqueue(pathSuffix, new InjectedFault(null, new Dictionary<string, string>(), TimeSpan.Zero, delay), times);

    /// <summary>Forgets every fault not yet served.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>
    /// Calls whose path ends with <paramref name="pathSuffix"/> wait, unanswered, until the returned
    /// <see cref="HeldCalls"/> lets them through (or their caller gives up, recorded as 499); disposing it lets
    /// every call through again. One hold per suffix at a time.
    /// </summary>
    public HeldCalls Hold(string pathSuffix)
    {
        var held = new HeldCalls(() => _holds.TryRemove(pathSuffix, out _));
        if (!_holds.TryAdd(pathSuffix, held))
        {
            throw new InvalidOperationException($"Calls to '{pathSuffix}' are held already.");
        }

        return held;
    }

    /// <summary>
    /// Waits until the calls whose path ends with <paramref name="pathSuffix"/> satisfy <paramref name="done"/>, and
    /// returns them; after <paramref name="timeout"/> it throws, naming what was expected and every such call seen.
    /// </summary>
    public async Task<IReadOnlyList<RecordedCall>> WaitForAsync(
        string pathSuffix,
        Func<IReadOnlyList<RecordedCall>, bool> done,
        TimeSpan timeout,
        [CallerArgumentExpression(nameof(done))] string expectation = "")
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var calls = Received(pathSuffix);
            if (done(calls))
            {
                return calls;
            }

            try
            {
                await _recorded.WaitAsync(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                calls = Received(pathSuffix);
                if (done(calls))
                {
                    return calls;
                }

                throw new TimeoutException(
                    $"Waited {timeout.TotalSeconds:0.#} s for calls to '{pathSuffix}' where {expectation}; "
                    + $"saw {calls.Count}:{Describe(calls)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsApp)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _recorded.Dispose();
    }

    private IReadOnlyList<RecordedCall> Received(string pathSuffix) =>
        [.. _calls.Where(c => c.Path.EndsWith(pathSuffix, StringComparison.Ordinal))];

    private static string Describe(IReadOnlyList<RecordedCall> calls) =>
        string.Concat(calls.Select(c => $"\n  {c.ReceivedAt:HH:mm:ss.fff} {c.Method} {c.Path} → "
            + $"{c.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "in progress"} "
            + (c.Body.Length > 120 ? c.Body[..120] + "…" : c.Body)));

    private void Enqueue(string pathSuffix, InjectedFault fault, int times)
    {
        var queue = _faults.GetOrAdd(pathSuffix, _ => new ConcurrentQueue<InjectedFault>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(fault);
        }
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Request.Body.Position = 0;
        var call = new RecordedCall(
            context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization,
            body, DateTimeOffset.UtcNow);
        context.Items[typeof(RecordedCall)] = call;
        context.Response.OnStarting(() =>
        {
            call.Status ??= context.Response.StatusCode;
            return Task.CompletedTask;
        });
        _calls.Enqueue(call);
        ReleaseWaiters();
        try
        {
            var path = context.Request.Path.Value ?? "";
            foreach (var (suffix, held) in _holds)
            {
                if (path.EndsWith(suffix, StringComparison.Ordinal))
                {
                    await held.WaitAsync(context.RequestAborted);
                }
            }

            var fault = TakeFault(path);
            if (fault is not null)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }

            if (fault?.Status is { } status)
            {
                foreach (var (name, value) in fault.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                context.Response.StatusCode = status;
                if (status >= 400)
                {
                    await context.Response.WriteAsJsonAsync(Error(status, "Injected fault"));
                }
            }
            else if (fault?.BodyDelay > TimeSpan.Zero)
            {
                await AnswerSlowlyAsync(context, next, fault.BodyDelay);
            }
            else
            {
                await next(context);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller gave up (e.g. its timeout) before an answer: HipChat took nothing.
            call.Status ??= ClientClosedRequest;
        }
        finally
        {
            ReleaseWaiters();
        }
    }

    private void MapEndpoints(WebApplication app, string fallbackPattern)
    {
        app.MapGet(AllJs.Path, () => Results.Text(AllJs.Script, "text/javascript"));
        app.MapGet(ApiPrefix + "capabilities", () => Results.Json(CapabilitiesDocument(Capabilities())));
        app.MapPost(ApiPrefix + "oauth/token", (Delegate)IssueTokenAsync);
        app.MapGet(ApiPrefix + "addon/installable/{oAuthId}", (string oAuthId) =>
            _installations.TryGetValue(oAuthId, out var installation)
                ? Results.Json(new { oauthId = installation.OAuthId, capabilitiesUrl = installation.CapabilitiesUrl, roomId = installation.RoomId, groupId = installation.GroupId })
                : Results.Json(Error(404, "Installation not found"), statusCode: 404));
        app.MapPost(ApiPrefix + "room/{roomId}/notification", (HttpContext context, string roomId) =>
            RoomCall(context, roomId, RoomCallKind.Notification, ValidateNotification));
        app.MapPost(ApiPrefix + "room/{roomId}/message", (HttpContext context, string roomId) =>
            RoomCall(context, roomId, RoomCallKind.Message, ValidateMessage, Results.Json(
                new { id = Guid.NewGuid().ToString(), timestamp = DateTimeOffset.UtcNow.ToString("O") }, statusCode: 201)));
        app.MapGet(ApiPrefix + "room/{roomId}", (HttpContext context, string roomId) =>
            RoomCall(context, roomId, kind: null, _ => null, Results.Json(new
            {
                id = long.Parse(roomId, System.Globalization.CultureInfo.InvariantCulture),
                name = $"Room {roomId}",
                topic = "Emulated room",
                privacy = "public",
                is_archived = false,
                is_guest_accessible = false,
                xmpp_jid = $"1_{roomId}@conf.hipchat.com",
            })));
        app.MapPost(ApiPrefix + "addon/ui/room/{roomId}", (HttpContext context, string roomId) =>
            RoomCall(context, roomId, RoomCallKind.GlanceUpdate, ValidateGlanceUpdate));
        app.MapFallback(fallbackPattern, () => Results.Json(Error(404, "Not found"), statusCode: 404));
    }

    private JsonObject Capabilities() => new()
    {
        ["key"] = "hipchat",
        ["name"] = "HipChat",
        ["connect_server_api_version"] = 1,
        ["links"] = new JsonObject
        {
            ["self"] = CapabilitiesUrl.AbsoluteUri,
            ["api"] = new Uri(BaseUrl, "v2").AbsoluteUri,
            ["homepage"] = BaseUrl.AbsoluteUri,
            ["subdomain"] = BaseUrl.AbsoluteUri,
        },
        ["capabilities"] = new JsonObject
        {
            ["oauth2Provider"] = new JsonObject
            {
                ["authorizationUrl"] = new Uri(BaseUrl, "users/authorize").AbsoluteUri,
                ["tokenUrl"] = TokenUrl.AbsoluteUri,
            },
            ["hipchatApiProvider"] = new JsonObject
            {
                ["url"] = ApiUrl.AbsoluteUri,
                ["availableScopes"] = new JsonObject
                {
                    ["send_notification"] = new JsonObject
                    {
                        ["id"] = "send_notification", ["name"] = "Send Notification", ["description"] = "Send room notifications",
                    },
                },
            },
        },
    };

    private async Task<IResult> IssueTokenAsync(HttpContext context)
    {
        var installation = Authenticate(context.Request.Headers.Authorization.ToString());
        if (installation is null)
        {
            return Results.Json(new { error = "invalid_client", error_description = "Invalid OAuth client credentials" }, statusCode: 401);
        }

        _tokenRequests.AddOrUpdate(installation.OAuthId, 1, (_, count) => count + 1);
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        if (form?["grant_type"].ToString() != "client_credentials")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
        _tokens[token] = new IssuedToken(installation.OAuthId, DateTimeOffset.UtcNow + TokenLifetime);
        return Results.Json(new
        {
            access_token = token,
            expires_in = (long)TokenLifetime.TotalSeconds,
            group_id = installation.GroupId,
            group_name = "Emulated group",
            scope = form["scope"].ToString() is { Length: > 0 } scope ? scope : "send_notification view_room",
            token_type = "bearer",
        });
    }

    private EmulatedInstallation? Authenticate(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
        }
        catch (FormatException)
        {
            return null;
        }

        var separator = credentials.IndexOf(':', StringComparison.Ordinal);
        return separator > 0
            && _installations.TryGetValue(credentials[..separator], out var installation)
            && CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(installation.OAuthSecret), Encoding.UTF8.GetBytes(credentials[(separator + 1)..]))
                ? installation
                : null;
    }

    // kind: what a taken call does in the room, for RoomCallAccepted; null for reads.
    private IResult RoomCall(
        HttpContext context, string roomId, RoomCallKind? kind, Func<JsonNode?, string?> validate, IResult? success = null)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            || !_tokens.TryGetValue(authorization["Bearer ".Length..], out var token)
            || token.ExpiresAt <= DateTimeOffset.UtcNow
            || !_installations.TryGetValue(token.OAuthId, out var installation))
        {
            return Results.Json(Error(401, "Invalid OAuth session"), statusCode: 401);
        }

        if (installation.RoomId is { } room && room.ToString(System.Globalization.CultureInfo.InvariantCulture) != roomId)
        {
            return Results.Json(Error(403, "This add-on is not installed in that room"), statusCode: 403);
        }

        var body = ((RecordedCall)context.Items[typeof(RecordedCall)]!).Body;
        JsonNode? json = null;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                return Results.Json(Error(400, "Invalid JSON"), statusCode: 400);
            }
        }

        if (validate(json) is { } problem)
        {
            return Results.Json(Error(400, problem), statusCode: 400);
        }

        if (kind is { } taken)
        {
            RoomCallAccepted(new AcceptedRoomCall(installation.OAuthId, roomId, taken, json!));
        }

        return success ?? Results.StatusCode((int)HttpStatusCode.NoContent);
    }

    private static string? ValidateMessage(JsonNode? body)
    {
        var message = body?["message"]?.GetValue<string>();
        return string.IsNullOrEmpty(message) || message.Length > 10_000 ? "message must have 1 to 10000 characters" : null;
    }

    private static string? ValidateNotification(JsonNode? body)
    {
        var message = body?["message"]?.GetValue<string>();
        if (string.IsNullOrEmpty(message) || message.Length > 10_000)
        {
            return "message must have 1 to 10000 characters";
        }

        var format = body?["message_format"]?.GetValue<string>();
        if (format is not (null or "text" or "html"))
        {
            return "message_format must be text or html";
        }

        return body?["card"] is { } card ? ValidateCard(card) : null;
    }

    private static readonly string[] CardStyles = ["file", "image", "application", "link", "media"];

    private static string? ValidateCard(JsonNode card)
    {
        if (card["style"]?.GetValue<string>() is not { } style || !CardStyles.Contains(style))
        {
            return "card.style must be one of " + string.Join(", ", CardStyles);
        }

        var title = card["title"]?.GetValue<string>();
        return string.IsNullOrEmpty(title) || title.Length > 500 ? "card.title must have 1 to 500 characters" : null;
    }

    private static string? ValidateGlanceUpdate(JsonNode? body) =>
        body?["glance"] is JsonArray { Count: > 0 } glances && glances.All(g => g?["key"] is not null && g?["content"] is not null)
            ? null
            : "glance must be a non-empty array of {key, content}";

    private InjectedFault? TakeFault(string path)
    {
        foreach (var (suffix, queue) in _faults)
        {
            if (path.EndsWith(suffix, StringComparison.Ordinal) && queue.TryDequeue(out var fault))
            {
                return fault;
            }
        }

        return null;
    }

    /// <summary>Sends the status and headers of the real answer at once, and its body after <paramref name="delay"/>.</summary>
    private static async Task AnswerSlowlyAsync(HttpContext context, RequestDelegate next, TimeSpan delay)
    {
        var original = context.Response.Body;
        using var body = new MemoryStream();
        context.Response.Body = body;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        context.Response.ContentLength = body.Length;
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await Task.Delay(delay, context.RequestAborted);
        body.Position = 0;
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private void ReleaseWaiters()
    {
        if (_recorded.CurrentCount == 0)
        {
            _recorded.Release();
        }
    }

    private static object Error(int code, string message) =>
        new { error = new { code, message, type = ((HttpStatusCode)code).ToString() } };

    private sealed record IssuedToken(string OAuthId, DateTimeOffset ExpiresAt);
}
