using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CleanAddon.HipChatEmulator;

/// <summary>
/// Signs JWTs the way HipChat does (HS256 with the installation's OAuth secret), and, for tests of the add-on's
/// defences, the ways an attacker would.
/// </summary>
public static class HipChatJwt
{
    public static string Sign(JsonObject header, JsonObject payload, string secret)
    {
        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signingInput));
        return signingInput + "." + Base64Url(signature);
    }

    public static string WithoutSignature(JsonObject payload) =>
        Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + Encode(payload) + ".";

    public static JsonObject Header(string algorithm = "HS256") => new() { ["typ"] = "JWT", ["alg"] = algorithm };

    public static JsonObject Payload(
        string issuer, string? userId, long? roomId, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var payload = new JsonObject
        {
            ["iss"] = issuer,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = (issuedAt + lifetime).ToUnixTimeSeconds(),
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(10)),
            ["context"] = new JsonObject { ["room_id"] = roomId, ["user_tz"] = "Europe/Paris" },
        };
        if (userId is not null)
        {
            payload["sub"] = userId;
        }

        return payload;
    }

    private static string Encode(JsonNode node) => Base64Url(Encoding.UTF8.GetBytes(node.ToJsonString()));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The payload of a token, unverified, for tests that tamper with it.</summary>
    public static JsonObject ReadPayload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(part))!.AsObject();
    }

    public static string ReplacePayload(string token, JsonObject payload)
    {
        var parts = token.Split('.');
        return parts[0] + "." + Encode(payload) + "." + parts[2];
    }

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
