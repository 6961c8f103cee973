using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Queues;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.Delivery;

/// <summary>
/// The dispatcher's time-dependent decisions, made from HipChat's answers and the clock alone: what becomes of a
/// message after a call, when it is tried again, and which pauses HipChat asked for (spec 7.5). Pauses are kept
/// per instance; another instance learns them from the headers of its own calls.
/// </summary>
internal sealed class DeliveryPolicy(
    TimeProvider clock, IOptions<OutboxOptions> outboxOptions, IOptions<HipChatOptions> hipChatOptions)
{
    /// <summary>HipChat's longest rate-limit window; a reset further away is a bogus header, not a reason to stall.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(5);

    private const string RateLimit = "X-Ratelimit";
    private const string FloodControl = "X-FloodControl";

    private readonly OutboxOptions _options = outboxOptions.Value;
    private readonly ConcurrentDictionary<(string OAuthId, long? RoomId), DateTimeOffset> _pauses = new();

    /// <summary>
    /// The longest one delivery can take: a token request, the call, and after a 401 another token request and
    /// call, each bounded by <c>HipChat:RequestTimeout</c>.
    /// </summary>
    public TimeSpan LongestDelivery { get; } = OutboxOptions.LeaseCalls * hipChatOptions.Value.RequestTimeout;

    /// <summary>What a call's answer means for the message; also learns any pause the answer announces.</summary>
    public DeliveryOutcome Judge(QueuedItem message, HttpStatusCode status, HttpResponseHeaders headers, string? error)
    {
        var code = (int)status;
        if (code is >= 200 and < 300 || status == HttpStatusCode.TooManyRequests)
        {
            Observe(message.OAuthId, message.RoomId, headers);
        }

        return code switch
        {
            >= 200 and < 300 => DeliveryOutcome.Delivered,
            429 => DeliveryOutcome.Retry("HipChat rate limit (429)", RetryAt(headers) ?? Backoff(message.Attempts)),
            >= 500 => DeliveryOutcome.Retry($"HipChat answered {code}", Backoff(message.Attempts)),
            401 => DeliveryOutcome.Dead("HipChat refused a freshly fetched token (401)"),
            _ => DeliveryOutcome.Dead($"HipChat refused the call ({code}){(error is null ? "" : ": " + error)}"),
        };
    }

    /// <summary>Exponential backoff with jitter after <paramref name="attemptsSoFar"/> failed attempts and this one.</summary>
    public DateTimeOffset Backoff(int attemptsSoFar) =>
        clock.GetUtcNow() + RetrySchedule.Delay(
            attemptsSoFar + 1, _options.FirstRetryDelay, _options.MaxRetryDelay, Random.Shared.NextDouble());

    /// <summary>
    /// When a 429 says to come back: <c>Retry-After</c>, else the reset of the limit that ran out, else the latest
    /// reset announced; null when the answer says nothing.
    /// </summary>
    public DateTimeOffset? RetryAt(HttpResponseHeaders headers)
    {
        var now = clock.GetUtcNow();
        if (headers.RetryAfter?.Delta is { } delta)
        {
            return now + Clamp(delta);
        }

        if (headers.RetryAfter?.Date is { } date)
        {
            return now + Clamp(date - now);
        }

        var exhausted = new[] { Reset(headers, RateLimit, true), Reset(headers, FloodControl, true) }.Max();
        var announced = new[] { Reset(headers, RateLimit, false), Reset(headers, FloodControl, false) }.Max();
        var reset = exhausted ?? announced;
        return reset is { } at ? now + Clamp(at - now) : null;
    }

    /// <summary>
    /// Remembers a limit the answer says is used up (<c>*-Remaining: 0</c>) until its reset: the overall rate limit
    /// pauses the whole installation, flood control only the room.
    /// </summary>
    public void Observe(string oAuthId, long roomId, HttpResponseHeaders headers)
    {
        var now = clock.GetUtcNow();
        if (Reset(headers, RateLimit, exhaustedOnly: true) is { } installationReset && installationReset > now)
        {
            Pause((oAuthId, null), now + Clamp(installationReset - now));
        }

        if (Reset(headers, FloodControl, exhaustedOnly: true) is { } roomReset && roomReset > now)
        {
            Pause((oAuthId, roomId), now + Clamp(roomReset - now));
        }
    }

    /// <summary>Until when HipChat asked not to send to this room, or null to go ahead.</summary>
    public DateTimeOffset? PausedUntil(string oAuthId, long roomId)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? until = null;
        foreach (var key in new (string, long?)[] { (oAuthId, null), (oAuthId, roomId) })
        {
            if (!_pauses.TryGetValue(key, out var pause))
            {
                continue;
            }

            if (pause <= now)
            {
                _pauses.TryRemove(new KeyValuePair<(string, long?), DateTimeOffset>(key, pause));
            }
            else if (until is null || pause > until)
            {
                until = pause;
            }
        }

        return until;
    }

    /// <summary>
    /// True when the message's lease could run out before a delivery finishes; another instance could then claim
    /// and send it too, so it is put back unsent instead.
    /// </summary>
    public bool LeaseTooShort(QueuedItem message) =>
        message.LeaseExpiresAt is not { } expiresAt || expiresAt - clock.GetUtcNow() < LongestDelivery;

    private void Pause((string, long?) key, DateTimeOffset until) =>
        _pauses.AddOrUpdate(key, until, (_, current) => current > until ? current : until);

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxPause ? MaxPause : wait;

    /// <summary>The <c>{prefix}-Reset</c> time (Unix seconds), if announced and, when asked, if the limit is used up.</summary>
    private static DateTimeOffset? Reset(HttpResponseHeaders headers, string prefix, bool exhaustedOnly)
    {
        if (exhaustedOnly && Number(headers, prefix + "-Remaining") is not 0)
        {
            return null;
        }

        return Number(headers, prefix + "-Reset") is { } seconds and >= 0 and <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    private static long? Number(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}

internal enum DeliveryOutcomeKind
{
    Delivered,

    /// <summary>Failed, may succeed later: counts an attempt.</summary>
    Retry,

    /// <summary>Will never succeed: dead-lettered.</summary>
    Dead,

    /// <summary>The token endpoint refused the installation's credentials.</summary>
    CredentialsRefused,

    /// <summary>The installation was revoked: dead-lettered unsent, quietly.</summary>
    Abandoned,
}

internal sealed record DeliveryOutcome(DeliveryOutcomeKind Kind, string? Error = null, DateTimeOffset? At = null)
{
    public static DeliveryOutcome Delivered { get; } = new(DeliveryOutcomeKind.Delivered);

    public static DeliveryOutcome Retry(string error, DateTimeOffset at) => new(DeliveryOutcomeKind.Retry, error, at);

    public static DeliveryOutcome Dead(string error) => new(DeliveryOutcomeKind.Dead, error);

    public static DeliveryOutcome CredentialsRefused(string error) => new(DeliveryOutcomeKind.CredentialsRefused, error);

    public static DeliveryOutcome Abandon(string error) => new(DeliveryOutcomeKind.Abandoned, error);
}
