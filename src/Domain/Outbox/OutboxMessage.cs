namespace CleanAddon.Domain.Outbox;

/// <summary>
/// A call to HipChat promised by a committed state change, delivered later by a dispatcher. Messages of one
/// room are delivered in the order they were recorded.
/// </summary>
public sealed class OutboxMessage
{
    public const int KindMaxLength = 40;
    public const int ErrorMaxLength = 500;
    public const int TraceParentMaxLength = 64;

    private OutboxMessage(
        long id,
        string oAuthId,
        long roomId,
        string kind,
        string payload,
        DateTimeOffset createdAt,
        DateTimeOffset nextAttemptAt)
    {
        Id = id;
        OAuthId = oAuthId;
        RoomId = roomId;
        Kind = kind;
        Payload = payload;
        CreatedAt = createdAt;
        NextAttemptAt = nextAttemptAt;
    }

    public long Id { get; private set; }

    public string OAuthId { get; private set; }

    public long RoomId { get; private set; }

    public string Kind { get; private set; }

    /// <summary>The JSON body to send, exactly as HipChat expects it.</summary>
    public string Payload { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? DeadLetteredAt { get; private set; }

    /// <summary>The W3C trace context the message was recorded in, so its delivery continues that trace.</summary>
    public string? TraceParent { get; private set; }

    public static OutboxMessage Record(
        string oAuthId, long roomId, string kind, string payload, DateTimeOffset now, string? traceParent = null)
    {
        if (string.IsNullOrEmpty(kind) || kind.Length > KindMaxLength)
        {
            throw new DomainRuleException($"An outbox message kind has 1 to {KindMaxLength} characters.");
        }

        return new OutboxMessage(0, oAuthId, roomId, kind, payload, now, now)
        {
            TraceParent = traceParent is { Length: <= TraceParentMaxLength } ? traceParent : null,
        };
    }

    /// <summary>The attempt failed but may succeed later: release the lease and try again at <paramref name="retryAt"/>.</summary>
    public void ScheduleRetry(string error, DateTimeOffset retryAt)
    {
        Attempts++;
        LastError = Truncate(error);
        NextAttemptAt = retryAt;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    /// <summary>
    /// Puts the message back unsent, without counting an attempt: HipChat asked for a pause, or the lease would run
    /// out before a call could finish.
    /// </summary>
    public void Postpone(DateTimeOffset until)
    {
        if (until > NextAttemptAt)
        {
            NextAttemptAt = until;
        }

        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    /// <summary>Gives up on the message; it stays visible for operators and no longer blocks its room.</summary>
    public void DeadLetter(string error, DateTimeOffset now)
    {
        Attempts++;
        LastError = Truncate(error);
        DeadLetteredAt = now;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    /// <summary>Dead-letters the message unsent, without counting an attempt: it can never be delivered.</summary>
    public void Abandon(string reason, DateTimeOffset now)
    {
        LastError = Truncate(reason);
        DeadLetteredAt = now;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    /// <summary>
    /// An operator sends a dead letter again: it is due at once, with its attempts counted afresh, and keeps its last
    /// error until a new attempt replaces it. Like any message, it waits for the older messages of its room.
    /// </summary>
    public void Revive(DateTimeOffset now)
    {
        if (DeadLetteredAt is null)
        {
            throw new DomainRuleException("Only a dead-lettered message can be retried.");
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
