namespace CleanAddon.Domain.Queues;

/// <summary>
/// A webhook HipChat delivered and the add-on accepted (verified, checked, de-duplicated), waiting for its handler.
/// It keeps the event as the add-on checked it, so the handler sees exactly what was checked.
/// </summary>
public sealed class WebhookJob : QueuedItem
{
    public const int KeyMaxLength = 40;
    public const int UserIdMaxLength = 64;

    private WebhookJob(
        string oAuthId, long roomId, string webhookKey, string? userId, string eventJson, DateTimeOffset createdAt, string? traceParent)
        : base(oAuthId, roomId, createdAt, traceParent)
    {
        WebhookKey = webhookKey;
        UserId = userId;
        EventJson = eventJson;
    }

    /// <summary>The key of the declared webhook it was delivered to.</summary>
    public string WebhookKey { get; private set; }

    /// <summary>The HipChat user the webhook's JWT named, if any.</summary>
    public string? UserId { get; private set; }

    public string EventJson { get; private set; }

    public static WebhookJob Accept(
        string oAuthId, long roomId, string webhookKey, string? userId, string eventJson, DateTimeOffset now, string? traceParent)
    {
        if (string.IsNullOrEmpty(webhookKey) || webhookKey.Length > KeyMaxLength)
        {
            throw new DomainRuleException($"A webhook key has 1 to {KeyMaxLength} characters.");
        }

        return new WebhookJob(oAuthId, roomId, webhookKey, userId is { Length: <= UserIdMaxLength } ? userId : null, eventJson, now, traceParent);
    }
}
