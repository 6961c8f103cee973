namespace CleanAddon.Domain.Queues;

/// <summary>
/// Work waiting in one of the add-on's two queues: a webhook waiting for its handler (<see cref="WebhookJob"/>) or a
/// call waiting to go to HipChat (<see cref="HipChatCall"/>). Items of one room leave their queue in the order they
/// were recorded; one that keeps failing is dead-lettered, stays visible for operators and stops blocking its room.
/// </summary>
public abstract class QueuedItem
{
    public const int ErrorMaxLength = 500;
    public const int TraceParentMaxLength = 64;
    public const int LeaseOwnerMaxLength = 64;

    protected QueuedItem(string oAuthId, long roomId, DateTimeOffset createdAt, string? traceParent)
    {
        OAuthId = oAuthId;
        RoomId = roomId;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt;
        TraceParent = traceParent is { Length: <= TraceParentMaxLength } ? traceParent : null;
    }

    public long Id { get; private set; }

    public string OAuthId { get; private set; }

    public long RoomId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? DeadLetteredAt { get; private set; }

    /// <summary>The W3C trace context the item was recorded in, so its handling continues that trace.</summary>
    public string? TraceParent { get; private set; }

    /// <summary>The attempt failed but may succeed later: release the lease and try again at <paramref name="retryAt"/>.</summary>
    public void ScheduleRetry(string error, DateTimeOffset retryAt)
    {
        Attempts++;
        LastError = Truncate(error);
        NextAttemptAt = retryAt;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    /// <summary>Gives up on the item; it stays visible for operators and no longer blocks its room.</summary>
    public void DeadLetter(string error, DateTimeOffset now)
    {
        Attempts++;
        LastError = Truncate(error);
        DeadLetteredAt = now;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    /// <summary>Dead-letters the item unsent, without counting an attempt: it can never be delivered.</summary>
    public void Abandon(string reason, DateTimeOffset now)
    {
        LastError = Truncate(reason);
        DeadLetteredAt = now;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    /// <summary>
    /// An operator sends a dead letter again: it is due at once, with its attempts counted afresh, and keeps its last
    /// error until a new attempt replaces it. Like any item, it waits for the older items of its room.
    /// </summary>
    public void Revive(DateTimeOffset now)
    {
        if (DeadLetteredAt is null)
        {
            throw new DomainRuleException("Only a dead-lettered item can be retried.");
        }

        DeadLetteredAt = null;
        Attempts = 0;
        NextAttemptAt = now;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    private static string Truncate(string error) =>
        error.Length <= ErrorMaxLength
            ? error
            : error[..(char.IsHighSurrogate(error[ErrorMaxLength - 1]) ? ErrorMaxLength - 1 : ErrorMaxLength)];
}
