namespace CleanAddon.Application.Notifications;

/// <summary>A room notification as HipChat's <c>POST room/{id}/notification</c> takes it.</summary>
public sealed record RoomNotification
{
    /// <summary>HipChat refuses longer messages with a 400.</summary>
    public const int MessageMaxLength = 10_000;

    public RoomNotification(
        string message,
        MessageFormat messageFormat = MessageFormat.Text,
        NotificationColor color = NotificationColor.Gray,
        bool notify = false,
        Card? card = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(message.Length, MessageMaxLength, nameof(message));
        Message = message;
        MessageFormat = messageFormat;
        Color = color;
        Notify = notify;
        Card = card;
    }

    public string Message { get; }

    public MessageFormat MessageFormat { get; }

    public NotificationColor Color { get; }

    public bool Notify { get; }

    /// <summary>Rendered by card-aware clients instead of <see cref="Message"/>, which stays their fallback.</summary>
    public Card? Card { get; }

    /// <summary>Cuts text to HipChat's limit, marking the cut, so user-supplied text never makes a send fail.</summary>
    public static string Fit(string text)
    {
        if (text.Length <= MessageMaxLength)
        {
            return text;
        }

        var cut = MessageMaxLength - 1;
        return string.Concat(text.AsSpan(0, char.IsHighSurrogate(text[cut - 1]) ? cut - 1 : cut), "…");
    }
}

public enum MessageFormat
{
    Text,
    Html,
}

public enum NotificationColor
{
    Yellow,
    Green,
    Red,
    Purple,
    Gray,
    Random,
}
