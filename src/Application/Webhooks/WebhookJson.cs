using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanAddon.Application.Webhooks;

/// <summary>
/// The one way a webhook body becomes an event. HipChat's bytes are read once, strictly: a key repeated in one
/// object, in any case, makes a body mean different things to different readers, so it is refused. The queue keeps
/// the checked event as written here, never HipChat's bytes, so a handler gets exactly what was checked.
/// </summary>
public static class WebhookJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

        // RoomId, Sender and the like are views computed from the data, not data.
        IgnoreReadOnlyProperties = true,
    };

    /// <summary>
    /// Reads a body as <paramref name="eventType"/>; throws <see cref="JsonException"/> when it is not JSON of that
    /// shape or repeats a key.
    /// </summary>
    public static WebhookEvent Read(ReadOnlySpan<byte> utf8Json, Type eventType)
    {
        RefuseRepeatedKeys(utf8Json);
        return JsonSerializer.Deserialize(utf8Json, eventType, Options) as WebhookEvent
            ?? throw new JsonException($"The body is not a {eventType.Name}.");
    }

    public static WebhookEvent Read(string json, Type eventType) => Read(Encoding.UTF8.GetBytes(json), eventType);

    public static string Write(WebhookEvent webhook) => JsonSerializer.Serialize(webhook, webhook.GetType(), Options);

    private static void RefuseRepeatedKeys(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        var objects = new Stack<HashSet<string>>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    objects.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                    break;
                case JsonTokenType.EndObject:
                    objects.Pop();
                    break;
                case JsonTokenType.PropertyName when !objects.Peek().Add(reader.GetString()!):
                    throw new JsonException("A key appears twice in one object (keys are compared ignoring case).");
            }
        }
    }
}
