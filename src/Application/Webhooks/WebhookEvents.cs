using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanAddon.Application.Webhooks;

/// <summary>A HipChat webhook event type; <see cref="EventName"/> is its name on the wire and in the descriptor.</summary>
public interface IWebhookEvent
{
    static abstract string EventName { get; }
}

/// <summary>The envelope every HipChat webhook shares (spec 6.2). Unknown fields are ignored.</summary>
public abstract record WebhookEvent
{
    [JsonPropertyName("event")]
    public string Event { get; init; } = "";

    [JsonPropertyName("webhook_id")]
    public long WebhookId { get; init; }

    /// <summary>The installation HipChat says registered the webhook; only a cross-check, never trusted alone.</summary>
    [JsonPropertyName("oauth_client_id")]
    public string? OAuthClientId { get; init; }

    /// <summary>The room the event happened in; 0 when the payload names none.</summary>
    [JsonIgnore]
    public abstract long RoomId { get; }

    /// <summary>Identifies one delivery for de-duplication, when the event has such an id.</summary>
    [JsonIgnore]
    public virtual string? MessageId => null;

    /// <summary>True for the event types a user causes (messages, entering, leaving, uploads, topics): they must name who.</summary>
    [JsonIgnore]
    public virtual bool CarriesSender => false;

    /// <summary>Who caused the event, as the payload names them: a user, or an integration by name only.</summary>
    [JsonIgnore]
    public virtual HipChatSender? Sender => null;

    /// <summary>The user who caused the event, when a user did; compared with the JWT's user.</summary>
    [JsonIgnore]
    public string? SenderId => Sender?.Id;

    /// <summary>The text that a declared <c>pattern</c> is matched against, for message events.</summary>
    [JsonIgnore]
    public virtual string? Text => null;
}

public sealed record RoomMessageEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_message";

    [JsonPropertyName("item")]
    public MessageItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override string? MessageId => Item.Message.Id;

    public override bool CarriesSender => true;

    public override HipChatSender? Sender => Item.Message.From;

    public override string? Text => Item.Message.Message;
}

public sealed record RoomNotificationEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_notification";

    [JsonPropertyName("item")]
    public MessageItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override string? MessageId => Item.Message.Id;

    public override string? Text => Item.Message.Message;
}

public sealed record RoomEnterEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_enter";

    [JsonPropertyName("item")]
    public SenderItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override bool CarriesSender => true;

    public override HipChatSender? Sender => Item.Sender;
}

public sealed record RoomExitEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_exit";

    [JsonPropertyName("item")]
    public SenderItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override bool CarriesSender => true;

    public override HipChatSender? Sender => Item.Sender;
}

public sealed record RoomTopicChangeEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_topic_change";

    [JsonPropertyName("item")]
    public TopicItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override bool CarriesSender => true;

    public override HipChatSender? Sender => Item.Sender;

    public override string? Text => Item.Topic;
}

public sealed record RoomFileUploadEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_file_upload";

    [JsonPropertyName("item")]
    public FileItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override bool CarriesSender => true;

    public override HipChatSender? Sender => Item.Sender;
}

public sealed record RoomArchivedEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_archived";

    [JsonPropertyName("item")]
    public SenderItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override HipChatSender? Sender => Item.Sender;
}

public sealed record RoomUnarchivedEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_unarchived";

    [JsonPropertyName("item")]
    public SenderItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override HipChatSender? Sender => Item.Sender;
}

public sealed record RoomCreatedEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_created";

    [JsonPropertyName("item")]
    public SenderItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override HipChatSender? Sender => Item.Sender;
}

public sealed record RoomDeletedEvent : WebhookEvent, IWebhookEvent
{
    public static string EventName => "room_deleted";

    [JsonPropertyName("item")]
    public SenderItem Item { get; init; } = new();

    public override long RoomId => Item.Room.Id;

    public override HipChatSender? Sender => Item.Sender;
}

public sealed record MessageItem
{
    [JsonPropertyName("message")]
    public HipChatMessage Message { get; init; } = new();

    [JsonPropertyName("room")]
    public HipChatRoom Room { get; init; } = new();
}

public sealed record SenderItem
{
    [JsonPropertyName("room")]
    public HipChatRoom Room { get; init; } = new();

    [JsonPropertyName("sender")]
    public HipChatSender? Sender { get; init; }
}

public sealed record TopicItem
{
    [JsonPropertyName("room")]
    public HipChatRoom Room { get; init; } = new();

    [JsonPropertyName("sender")]
    public HipChatSender? Sender { get; init; }

    [JsonPropertyName("topic")]
    public string? Topic { get; init; }
}

public sealed record FileItem
{
    [JsonPropertyName("room")]
    public HipChatRoom Room { get; init; } = new();

    [JsonPropertyName("sender")]
    public HipChatSender? Sender { get; init; }

    [JsonPropertyName("file")]
    public HipChatFile? File { get; init; }
}

public sealed record HipChatMessage
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("date")]
    public DateTimeOffset? Date { get; init; }

    /// <summary>A user for people; integrations appear by name only (HipChat sends a plain string).</summary>
    [JsonPropertyName("from")]
    public HipChatSender? From { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("message_format")]
    public string? MessageFormat { get; init; }

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("color")]
    public string? Color { get; init; }

    [JsonPropertyName("mentions")]
    public IReadOnlyList<HipChatSender> Mentions { get; init; } = [];

    [JsonPropertyName("file")]
    public HipChatFile? File { get; init; }
}

public sealed record HipChatRoom
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("privacy")]
    public string? Privacy { get; init; }

    [JsonPropertyName("is_archived")]
    public bool IsArchived { get; init; }
}

/// <summary>A user, or an integration that has a name but no user id.</summary>
[JsonConverter(typeof(HipChatSenderConverter))]
public sealed record HipChatSender
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("mention_name")]
    public string? MentionName { get; init; }
}

public sealed record HipChatFile
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [JsonPropertyName("thumb_url")]
    public string? ThumbUrl { get; init; }
}

/// <summary>Reads HipChat's sender in each form it takes: a user object (numeric or string id) or a plain name.</summary>
public sealed class HipChatSenderConverter : JsonConverter<HipChatSender>
{
    public override HipChatSender? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return new HipChatSender { Name = reader.GetString() };
            case JsonTokenType.StartObject:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    var root = document.RootElement;
                    return new HipChatSender
                    {
                        Id = root.TryGetProperty("id", out var id) ? IdText(id) : null,
                        Name = root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
                        MentionName = root.TryGetProperty("mention_name", out var mention) && mention.ValueKind == JsonValueKind.String
                            ? mention.GetString()
                            : null,
                    };
                }

            default:
                throw new JsonException("A HipChat sender is an object, a string or null.");
        }
    }

    public override void Write(Utf8JsonWriter writer, HipChatSender value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Id is not null)
        {
            writer.WriteString("id", value.Id);
        }

        writer.WriteString("name", value.Name);
        writer.WriteString("mention_name", value.MentionName);
        writer.WriteEndObject();
    }

    private static string? IdText(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String => id.GetString(),
        JsonValueKind.Number => id.GetRawText(),
        _ => null,
    };
}
