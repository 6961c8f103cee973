namespace CleanAddon.Domain.Webhooks;

/// <summary>Remembers a delivered webhook so that HipChat delivering it again is acknowledged but not handled twice.</summary>
public sealed class ReceivedWebhook
{
    public const int EventMaxLength = 40;
    public const int MessageIdMaxLength = 64;

    /// <summary>How long a delivery is remembered; the contract promises de-duplication within 24 hours.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private ReceivedWebhook(string oAuthId, long webhookId, string @event, string messageId, DateTimeOffset receivedAt)
    {
        OAuthId = oAuthId;
        WebhookId = webhookId;
        Event = @event;
        MessageId = messageId;
        ReceivedAt = receivedAt;
    }

    public string OAuthId { get; private set; }

    public long WebhookId { get; private set; }

    public string Event { get; private set; }

    public string MessageId { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public static ReceivedWebhook Record(
        string oAuthId, long webhookId, string @event, string messageId, DateTimeOffset now) =>
        new(oAuthId, webhookId, @event, messageId, now);
}
