using System.Text.Json.Serialization;

namespace CleanAddon.Application.Notifications;

/// <summary>A plain message as HipChat's <c>POST room/{id}/message</c> takes it: posted as a user, not as the add-on.</summary>
public sealed record RoomMessage
{
    public RoomMessage(string message) =>
        Message = WireRules.Text(message, RoomNotification.MessageMaxLength, "A room message", nameof(message));

    [JsonPropertyName("message")]
    public string Message { get; }
}
