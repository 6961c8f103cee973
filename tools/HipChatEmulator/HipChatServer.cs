using System.Collections.Concurrent;
using System.Net;
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
/// installable documents for the uninstall flow, and HipChat-signed JWTs. Everything it receives is recorded,
/// and faults can be injected per path.
/// </summary>
public sealed class HipChatServer : IAsyncDisposable
{
    private const string ApiPrefix = "/v2/";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, EmulatedInstallation> _installations = new();
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new();
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<InjectedFault>> _faults = new();
    private readonly ConcurrentDictionary<string, int> _tokenRequests = new();
    private readonly SemaphoreSlim _recorded = new(0);

    private HipChatServer(WebApplication app, string host)
    {
        _app = app;
        Host = host;
    }

    /// <summary>The host name the add-on is told to use; put it in the add-on's <c>HipChat:AllowedHosts</c>.</summary>
    public string Host { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public Uri CapabilitiesUrl => new(BaseUrl, "v2/capabilities");

    public Uri TokenUrl => new(BaseUrl, "v2/oauth/token");

    public Uri ApiUrl => new(BaseUrl, "v2/");

    /// <summary>How long issued access tokens live (HipChat: <c>expires_in</c>).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rewrites the capabilities document before it is served, to play a broken or hostile HipChat.</summary>
    public Func<JsonObject, JsonObject> CapabilitiesDocument { get; set; } = document => document;

    public IReadOnlyList<RecordedCall> Calls => [.. _calls];

    public IReadOnlyList<RecordedCall> Notifications => Received("/notification");

    public IReadOnlyList<RecordedCall> GlanceUpdates => [.. _calls.Where(c => c.Path.Contains("/addon/ui/", StringComparison.Ordinal))];

    public static async Task<HipChatServer> StartAsync(string host = "localhost", CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new HipChatServer(app, host);
        server.Map(app);
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.First());
        server.BaseUrl = new Uri($"http://{host}:{address.Port}/");
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
        TimeSpan delay = default)
    {
        var queue = _faults.GetOrAdd(pathSuffix, _ => new ConcurrentQueue<InjectedFault>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(new InjectedFault(status, headers ?? new Dictionary<string, string>(), delay));
        }
    }

    /// <summary>Waits until the calls whose path ends with <paramref name="pathSuffix"/> satisfy <paramref name="done"/>.</summary>
    public async Task<IReadOnlyList<RecordedCall>> WaitForAsync(
        string pathSuffix, Func<IReadOnlyList<RecordedCall>, bool> done, TimeSpan timeout)
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
                return Received(pathSuffix);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _recorded.Dispose();
    }

    private IReadOnlyList<RecordedCall> Received(string pathSuffix) =>
        [.. _calls.Where(c => c.Path.EndsWith(pathSuffix, StringComparison.Ordinal))];

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            _calls.Enqueue(new RecordedCall(
                context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization,
                body, DateTimeOffset.UtcNow));
            if (TakeFault(context.Request.Path.Value ?? "") is { } fault)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
                foreach (var (name, value) in fault.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                context.Response.StatusCode = fault.Status;
                if (fault.Status >= 400)
                {
                    await context.Response.WriteAsJsonAsync(Error(fault.Status, "Injected fault"));
                }
            }
            else
            {
                await next(context);
            }

            ReleaseWaiters();
        });

        app.MapGet(ApiPrefix + "capabilities", () => Results.Json(CapabilitiesDocument(Capabilities())));
        app.MapPost(ApiPrefix + "oauth/token", (Delegate)IssueTokenAsync);
        app.MapGet(ApiPrefix + "addon/installable/{oAuthId}", (string oAuthId) =>
            _installations.TryGetValue(oAuthId, out var installation)
                ? Results.Json(new { oauthId = installation.OAuthId, capabilitiesUrl = installation.CapabilitiesUrl, roomId = installation.RoomId, groupId = installation.GroupId })
                : Results.Json(Error(404, "Installation not found"), statusCode: 404));
        app.MapPost(ApiPrefix + "room/{roomId}/notification", (HttpContext context, string roomId) =>
            RoomCallAsync(context, roomId, ValidateNotification));
        app.MapPost(ApiPrefix + "addon/ui/room/{roomId}", (HttpContext context, string roomId) =>
            RoomCallAsync(context, roomId, ValidateGlanceUpdate));
        app.MapFallback(() => Results.Json(Error(404, "Not found"), statusCode: 404));
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

    private async Task<IResult> RoomCallAsync(HttpContext context, string roomId, Func<JsonNode?, string?> validate)
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

        // The recording middleware buffered the body and rewound it; reading it here keeps each call O(1).
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return Results.Json(Error(400, "Invalid JSON"), statusCode: 400);
        }

        return validate(json) is { } problem
            ? Results.Json(Error(400, problem), statusCode: 400)
            : Results.StatusCode((int)HttpStatusCode.NoContent);
    }

    private static string? ValidateNotification(JsonNode? body)
    {
        var message = body?["message"]?.GetValue<string>();
        if (string.IsNullOrEmpty(message) || message.Length > 10_000)
        {
            return "message must have 1 to 10000 characters";
        }

        var format = body?["message_format"]?.GetValue<string>();
        return format is null or "text" or "html" ? null : "message_format must be text or html";
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
