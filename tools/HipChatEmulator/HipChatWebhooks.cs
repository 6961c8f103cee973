using System.Globalization;
using System.Text.Json.Nodes;

namespace CleanAddon.HipChatEmulator;

/// <summary>Webhook bodies shaped like the ones HipChat posts (spec 6.3).</summary>
public static class HipChatWebhooks
{
    public static JsonObject RoomMessage(
        EmulatedInstallation installation, long roomId, string text, string? messageId = null, string senderId = "4979430") =>
        new()
        {
            ["event"] = "room_message",
            ["webhook_id"] = 17775373,
            ["oauth_client_id"] = installation.OAuthId,
            ["item"] = new JsonObject
            {
                ["message"] = new JsonObject
                {
                    ["date"] = "2017-05-20T13:56:46.750428+00:00",
                    ["from"] = new JsonObject
                    {
                        ["id"] = long.Parse(senderId, CultureInfo.InvariantCulture),
                        ["mention_name"] = "MarkHopkins",
                        ["name"] = "Mark Hopkins",
                    },
                    ["id"] = messageId ?? Guid.NewGuid().ToString(),
                    ["mentions"] = new JsonArray(),
                    ["message"] = text,
                    ["type"] = "message",
                },
                ["room"] = new JsonObject { ["id"] = roomId, ["name"] = "MarkTesting", ["privacy"] = "private" },
            },
        };
}
