using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CleanAddon.HipChatEmulator;
using Microsoft.AspNetCore.Mvc;

namespace CleanAddon.HipChatPlayground;

/// <summary>
/// What the playground's page asks of HipChat: install an add-on from its descriptor, sign tokens for its views,
/// post a message (HipChat then sends the add-ons' webhooks), read a room, and the uninstall redirect flow.
/// </summary>
internal static class PlaygroundApi
{
    private const string Api = "/playground/api";
    private const int MaxMessageLength = 10_000;
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    public static void MapPlaygroundApi(this WebApplication app, HipChatServer hipChat)
    {
        app.MapGet(Api + "/rooms/{roomId:long}", (long roomId, long? after, Playground playground) =>
        {
            if (Rooms(roomId) is not { } room)
            {
                return Results.NotFound();
            }

            var (seq, items, glances) = playground.Since(room.Id, after ?? 0);
            return Results.Json(new
            {
                room,
                rooms = Playground.Rooms,
                user = Playground.User,
                seq,
                items,
                glances,
                installations = playground.InstallationsIn(room.Id).Select(i => new
                {
                    oauthId = i.OAuth.OAuthId,
                    name = i.Name,
                    global = i.OAuth.RoomId is null,
                    descriptorUrl = i.DescriptorUrl,
                    descriptor = i.Descriptor,
                }),
            });
        });

        app.MapPost(Api + "/rooms/{roomId:long}/messages", async (
            long roomId, MessageRequest request, Playground playground, IHttpClientFactory http,
            CancellationToken cancellationToken) =>
        {
            if (Rooms(roomId) is not { } room)
            {
                return Results.NotFound();
            }

            if (string.IsNullOrWhiteSpace(request.Message) || request.Message.Length > MaxMessageLength)
            {
                return Results.Problem("A message has 1 to 10000 characters.", statusCode: 400);
            }

            var posted = playground.Post(room.Id, "message", (string)Playground.User["name"]!, new JsonObject
            {
                ["message"] = request.Message,
            });
            await SendWebhooksAsync(playground, http, room, "room_message", request.Message,
                (installation, webhookId) =>
                    RoomMessage(hipChat, installation, webhookId, room, posted, request.Message),
                cancellationToken);
            return Results.NoContent();
        });

        app.MapPost(Api + "/rooms/{roomId:long}/enter", async (
            long roomId, Playground playground, IHttpClientFactory http, CancellationToken cancellationToken) =>
        {
            if (Rooms(roomId) is not { } room)
            {
                return Results.NotFound();
            }

            await SendWebhooksAsync(playground, http, room, "room_enter", text: null,
                (installation, webhookId) => Envelope("room_enter", installation, webhookId, new JsonObject
                {
                    ["room"] = RoomJson(hipChat, room),
                    ["sender"] = UserJson(hipChat),
                }),
                cancellationToken);
            return Results.NoContent();
        });

        app.MapPost(Api + "/installations", (InstallRequest request, Playground playground, IHttpClientFactory http,
            CancellationToken cancellationToken) => InstallAsync(hipChat, playground, http, request, cancellationToken));

        app.MapPost(Api + "/installations/{oAuthId}/token", (string oAuthId, long roomId, Playground playground) =>
            playground.Find(oAuthId) is { } installation && installation.AppliesTo(roomId)
                ? Results.Json(new { token = HipChatServer.SignJwt(installation.OAuth, roomId, Playground.UserId) })
                : Results.NotFound());

        // HipChat's uninstall: the admin's browser goes to the add-on, which reads installable_url, forgets the
        // installation and sends the browser back to redirect_url, where HipChat finally deletes the OAuth client.
        app.MapPost("/playground/uninstall/{oAuthId}", (string oAuthId, [FromForm] long roomId, Playground playground) =>
        {
            if (playground.Find(oAuthId) is not { } installation)
            {
                return Results.Redirect(RoomPage(roomId));
            }

            var back = new Uri(hipChat.BaseUrl, $"playground/uninstalled/{oAuthId}?roomId={roomId}");
            return installation.Installable?["uninstalledUrl"]?.GetValue<string>() is { Length: > 0 } uninstalledUrl
                ? Results.Redirect(
                    $"{uninstalledUrl}{(uninstalledUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')}"
                    + $"redirect_url={Uri.EscapeDataString(back.AbsoluteUri)}"
                    + $"&installable_url={Uri.EscapeDataString(hipChat.InstallableUrl(oAuthId).AbsoluteUri)}",
                    preserveMethod: false)
                : Results.Redirect(back.PathAndQuery);
        }).DisableAntiforgery(); // the page's own plain form on a local tool: no session or cookie to protect

        app.MapGet("/playground/uninstalled/{oAuthId}", (string oAuthId, long roomId, Playground playground) =>
        {
            if (playground.Find(oAuthId) is { } installation)
            {
                hipChat.RemoveInstallation(oAuthId);
                playground.Remove(oAuthId);
                foreach (var room in NotifiedRooms(installation))
                {
                    playground.Note(room.Id, $"{installation.Name} was uninstalled.");
                }
            }

            return Results.Redirect(RoomPage(roomId));
        });
    }

    private static async Task<IResult> InstallAsync(
        HipChatServer hipChat, Playground playground, IHttpClientFactory httpFactory, InstallRequest request,
        CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(request.DescriptorUrl, UriKind.Absolute, out var descriptorUrl)
            || descriptorUrl.Scheme is not ("http" or "https"))
        {
            return Problem(400, "The descriptor URL must be an absolute http(s) URL.");
        }

        if (request.RoomId is { } roomId && Rooms(roomId) is null)
        {
            return Problem(400, "There is no such room.");
        }

        var http = httpFactory.CreateClient(PlaygroundApp.HttpClientName);
        JsonObject descriptor;
        try
        {
            using var response = await http.GetAsync(descriptorUrl, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return Problem(422, $"The descriptor URL answered {(int)response.StatusCode}.");
            }

            descriptor = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Problem(422, "The descriptor is not a JSON object.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return Problem(502, $"The descriptor could not be read: {e.Message}");
        }

        var installable = descriptor["capabilities"]?["installable"];
        if (installable?["callbackUrl"]?.GetValue<string>() is not { Length: > 0 } callbackUrl)
        {
            return Problem(422, "The descriptor declares no capabilities.installable.callbackUrl.");
        }

        var scope = request.RoomId is null ? "allowGlobal" : "allowRoom";
        if (installable[scope]?.GetValue<bool>() == false)
        {
            return Problem(422, $"The add-on does not allow that ({scope} is false).");
        }

        var oauth = hipChat.CreateInstallation(request.RoomId);
        try
        {
            using var response = await http.PostAsJsonAsync(callbackUrl, oauth.ToCallbackBody(), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                hipChat.RemoveInstallation(oauth.OAuthId);
                return Problem(422, $"The add-on refused the installation ({(int)response.StatusCode}): "
                    + answer[..Math.Min(answer.Length, 500)]);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            hipChat.RemoveInstallation(oauth.OAuthId);
            return Problem(502, $"The install callback could not be reached: {e.Message}");
        }

        var installation = playground.Add(oauth, descriptorUrl, descriptor);
        foreach (var room in NotifiedRooms(installation))
        {
            var where = oauth.RoomId is null ? "globally" : "in this room";
            playground.Note(room.Id, $"{installation.Name} was installed {where}.");
        }

        return Results.Json(new { oauthId = oauth.OAuthId, name = installation.Name }, statusCode: 201);
    }

    /// <summary>Sends <paramref name="eventName"/> to each installation in the room whose webhook matches.</summary>
    private static async Task SendWebhooksAsync(
        Playground playground, IHttpClientFactory httpFactory, Room room, string eventName,
        string? text, Func<PlaygroundInstallation, long, JsonObject> payload, CancellationToken cancellationToken)
    {
        var http = httpFactory.CreateClient(PlaygroundApp.HttpClientName);
        var deliveries = new List<Task>();
        foreach (var installation in playground.InstallationsIn(room.Id))
        {
            var index = 0;
            foreach (var webhook in installation.Modules("webhook"))
            {
                var webhookId = installation.WebhookIdBase + index++;
                if (webhook["event"]?.GetValue<string>() == eventName && Matches(webhook, text))
                {
                    var body = payload(installation, webhookId);
                    deliveries.Add(DeliverAsync(http, playground, room, installation, webhook, body, cancellationToken));
                }
            }
        }

        await Task.WhenAll(deliveries);
    }

    private static bool Matches(JsonObject webhook, string? text)
    {
        if (text is null || webhook["pattern"]?.GetValue<string>() is not { Length: > 0 } pattern)
        {
            return true;
        }

        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.None, PatternTimeout);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static async Task DeliverAsync(
        HttpClient http, Playground playground, Room room, PlaygroundInstallation installation, JsonObject webhook,
        JsonObject payload, CancellationToken cancellationToken)
    {
        var key = webhook["key"]?.GetValue<string>() ?? "?";
        if (!Uri.TryCreate(webhook["url"]?.GetValue<string>(), UriKind.Absolute, out var url))
        {
            playground.Note(room.Id, $"{installation.Name}'s webhook {key} has no absolute url.");
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(payload) };
        if (webhook["authentication"]?.GetValue<string>() == "jwt")
        {
            request.Headers.TryAddWithoutValidation(
                "Authorization", "JWT " + HipChatServer.SignJwt(installation.OAuth, room.Id, Playground.UserId));
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                playground.Note(room.Id, $"{installation.Name}'s webhook {key} answered {(int)response.StatusCode}.");
            }
            else if (response.StatusCode == HttpStatusCode.OK
                && response.Content.Headers.ContentType?.MediaType == "application/json"
                && JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) is JsonObject { } reply
                && reply["message"] is not null)
            {
                // A webhook may answer with a notification, which HipChat posts as if the API had been called.
                playground.Post(room.Id, "notification", installation.Name, reply);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            playground.Note(room.Id, $"{installation.Name}'s webhook {key} failed: {e.Message}");
        }
    }

    private static JsonObject RoomMessage(
        HipChatServer hipChat, PlaygroundInstallation installation, long webhookId, Room room, FeedItem posted,
        string text) =>
        Envelope("room_message", installation, webhookId, new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["date"] = posted.Date.ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
                ["from"] = UserJson(hipChat),
                ["id"] = Guid.NewGuid().ToString(),
                ["mentions"] = new JsonArray(),
                ["message"] = text,
                ["type"] = "message",
            },
            ["room"] = RoomJson(hipChat, room),
        });

    private static JsonObject Envelope(
        string eventName, PlaygroundInstallation installation, long webhookId, JsonObject item) =>
        new()
        {
            ["event"] = eventName,
            ["webhook_id"] = webhookId,
            ["oauth_client_id"] = installation.OAuth.OAuthId,
            ["item"] = item,
        };

    private static JsonObject UserJson(HipChatServer hipChat)
    {
        var user = Playground.User.DeepClone().AsObject();
        user["links"] = new JsonObject { ["self"] = new Uri(hipChat.ApiUrl, $"user/{Playground.UserId}").AbsoluteUri };
        return user;
    }

    private static JsonObject RoomJson(HipChatServer hipChat, Room room)
    {
        var self = new Uri(hipChat.ApiUrl, $"room/{room.Id}").AbsoluteUri;
        return new JsonObject
        {
            ["id"] = room.Id,
            ["name"] = room.Name,
            ["privacy"] = "public",
            ["is_archived"] = false,
            ["version"] = "00000000",
            ["links"] = new JsonObject
            {
                ["self"] = self,
                ["participants"] = self + "/participant",
                ["webhooks"] = self + "/webhook",
            },
        };
    }

    private static Room? Rooms(long roomId) => Playground.Rooms.FirstOrDefault(r => r.Id == roomId);

    private static IEnumerable<Room> NotifiedRooms(PlaygroundInstallation installation) =>
        Playground.Rooms.Where(r => installation.AppliesTo(r.Id));

    private static string RoomPage(long roomId) => $"/?room={roomId}";

    private static IResult Problem(int status, string detail) => Results.Problem(detail, statusCode: status);

    private sealed record MessageRequest(string? Message);

    private sealed record InstallRequest(string? DescriptorUrl, long? RoomId);
}
