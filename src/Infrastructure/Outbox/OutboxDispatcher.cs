using System.Globalization;
using System.Net;
using System.Text.Json;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;
using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Outbox;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Refit;

namespace CleanAddon.Infrastructure.Outbox;

/// <summary>
/// Delivers recorded HipChat calls. Messages are claimed with a lease (on PostgreSQL with
/// <c>FOR UPDATE SKIP LOCKED</c>), so several instances share the work, each message is sent by one of them, and
/// a crash mid-send costs at most one retry of that message. Only the oldest pending message of a room is
/// claimable, which keeps each room's messages in order.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    HipChatGateway hipChat,
    AccessTokenProvider tokens,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int MaxParallelDeliveries = 8;

    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly OutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await DispatchBatchAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(exception);
            }

            // Delivering a room's oldest message makes its next one claimable, so only a round that found nothing
            // waits; waiting after every short batch drained a busy room at one message per poll interval.
            if (claimed == 0)
            {
                try
                {
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims and delivers one batch; returns how many messages it claimed.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        List<OutboxMessage> messages;
        Dictionary<string, Installation> installations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
            var ids = await ClaimAsync(db, cancellationToken);
            if (ids.Count == 0)
            {
                return 0;
            }

            messages = await db.Outbox.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(cancellationToken);
            var oAuthIds = messages.Select(m => m.OAuthId).Distinct().ToList();
            installations = await db.Installations.AsNoTracking()
                .Where(i => oAuthIds.Contains(i.OAuthId))
                .ToDictionaryAsync(i => i.OAuthId, cancellationToken);
        }

        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelDeliveries, CancellationToken = cancellationToken },
            async (message, token) =>
            {
                var outcome = await SendAsync(message, installations.GetValueOrDefault(message.OAuthId), token);
                await RecordAsync(message, outcome, token);
            });
        return messages.Count;
    }

    private async Task<List<long>> ClaimAsync(AddonDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + _options.LeaseDuration;
        var batch = _options.BatchSize;
        if (db.Database.IsNpgsql())
        {
            return await db.Database.SqlQuery<long>($"""
                UPDATE outbox_messages SET lease_owner = {_owner}, lease_expires_at = {until}
                WHERE id IN (
                    SELECT m.id FROM outbox_messages m
                    WHERE m.dead_lettered_at IS NULL AND m.next_attempt_at <= {now}
                      AND (m.lease_expires_at IS NULL OR m.lease_expires_at < {now})
                      AND NOT EXISTS (
                          SELECT 1 FROM outbox_messages o
                          WHERE o.o_auth_id = m.o_auth_id AND o.room_id = m.room_id
                            AND o.id < m.id AND o.dead_lettered_at IS NULL)
                    ORDER BY m.id
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED)
                RETURNING id AS "Value"
                """).ToListAsync(cancellationToken);
        }

        // SQLite has one writer at a time, so the conditional UPDATE alone is the lease; times are Unix milliseconds.
        var nowMs = now.ToUnixTimeMilliseconds();
        var untilMs = until.ToUnixTimeMilliseconds();
        return await db.WriteAsync(token => db.Database.SqlQuery<long>($"""
            UPDATE outbox_messages SET lease_owner = {_owner}, lease_expires_at = {untilMs}
            WHERE id IN (
                SELECT m.id FROM outbox_messages m
                WHERE m.dead_lettered_at IS NULL AND m.next_attempt_at <= {nowMs}
                  AND (m.lease_expires_at IS NULL OR m.lease_expires_at < {nowMs})
                  AND NOT EXISTS (
                      SELECT 1 FROM outbox_messages o
                      WHERE o.o_auth_id = m.o_auth_id AND o.room_id = m.room_id
                        AND o.id < m.id AND o.dead_lettered_at IS NULL)
                ORDER BY m.id
                LIMIT {batch})
            RETURNING id AS "Value"
            """).ToListAsync(token), cancellationToken);
    }

    private async Task<Outcome> SendAsync(
        OutboxMessage message, Installation? installation, CancellationToken cancellationToken)
    {
        if (installation is null)
        {
            return Outcome.Delivered;
        }

        if (message.Kind == OutboxKinds.Webhook)
        {
            return await RunWebhookAsync(message, cancellationToken);
        }

        string? token = null;
        try
        {
            token = await tokens.GetAsync(installation, rejected: null, cancellationToken);
            var api = hipChat.For(installation.ApiBaseUrl);
            try
            {
                await CallAsync(api, message, token, cancellationToken);
            }
            catch (ApiException exception) when (exception.StatusCode == HttpStatusCode.Unauthorized)
            {
                // A token can be revoked before it expires: fetch a new one and try once more.
                token = await tokens.GetAsync(installation, rejected: token, cancellationToken);
                await CallAsync(api, message, token, cancellationToken);
            }

            return Outcome.Delivered;
        }
        catch (ApiException exception) when (exception.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return Outcome.Retry("HipChat rate limit (429)", RetryAfter(exception) ?? Backoff(message));
        }
        catch (ApiException exception) when ((int)exception.StatusCode >= 500)
        {
            return Outcome.Retry($"HipChat answered {(int)exception.StatusCode}", Backoff(message));
        }
        catch (ApiException exception) when ((int)exception.StatusCode >= 400)
        {
            return Outcome.Dead($"HipChat refused the call ({(int)exception.StatusCode})");
        }
        catch (HipChatRejectedException exception)
        {
            LogCredentialsRefused(installation.OAuthId);
            return Outcome.Dead(exception.Message);
        }
        catch (Exception exception) when (exception.Find<OutboundHostRejectedException>() is { } rejected)
        {
            return Outcome.Dead(rejected.Message);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && (exception is HipChatUnavailableException or TaskCanceledException
                || exception.Find<HttpRequestException>() is not null
                || exception.Find<TimeoutRejectedException>() is not null
                || exception.Find<IOException>() is not null))
        {
            return Outcome.Retry($"HipChat unreachable ({exception.GetType().Name})", Backoff(message));
        }
    }

    private async Task<Outcome> RunWebhookAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(
                new RunQueuedWebhookCommand(message.Id, Deserialize<QueuedWebhook>(message)), cancellationToken);
            return Outcome.Delivered;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogWebhookHandlerFailed(exception, message.Id);
            return Outcome.Retry($"The webhook handler failed ({exception.GetType().Name})", Backoff(message));
        }
    }

    private static Task CallAsync(IHipChatApi api, OutboxMessage message, string token, CancellationToken cancellationToken) =>
        message.Kind switch
        {
            OutboxKinds.RoomNotification => api.SendRoomNotificationAsync(
                message.RoomId, Deserialize<RoomNotification>(message), token, cancellationToken),
            OutboxKinds.RoomGlance => api.UpdateRoomGlanceAsync(
                message.RoomId, Deserialize<GlanceUpdate>(message), token, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown outbox message kind '{message.Kind}'."),
        };

    private static T Deserialize<T>(OutboxMessage message) =>
        JsonSerializer.Deserialize<T>(message.Payload, HipChatJson.Options)
        ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty payload.");

    private async Task RecordAsync(OutboxMessage sent, Outcome outcome, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        if (outcome.Kind == OutcomeKind.Delivered)
        {
            await db.WriteAsync(
                token => db.Outbox.Where(m => m.Id == sent.Id && m.LeaseOwner == _owner).ExecuteDeleteAsync(token),
                cancellationToken);
            return;
        }

        var message = await db.Outbox.FirstOrDefaultAsync(m => m.Id == sent.Id && m.LeaseOwner == _owner, cancellationToken);
        if (message is null)
        {
            return;
        }

        if (outcome.Kind == OutcomeKind.Dead || message.Attempts + 1 >= _options.MaxAttempts)
        {
            message.DeadLetter(outcome.Error!, clock.GetUtcNow());
            LogDeadLettered(message.Id, message.OAuthId, message.RoomId, outcome.Error!);
        }
        else
        {
            message.ScheduleRetry(outcome.Error!, outcome.RetryAt!.Value);
            LogRetryScheduled(message.Id, message.Attempts, outcome.RetryAt.Value, outcome.Error!);
        }

        await db.WriteAsync(token => db.SaveChangesAsync(token), cancellationToken);
    }

    private DateTimeOffset Backoff(OutboxMessage message) =>
        clock.GetUtcNow() + RetrySchedule.Delay(
            message.Attempts + 1, _options.FirstRetryDelay, _options.MaxRetryDelay, Random.Shared.NextDouble());

    /// <summary>HipChat's 429 says when to come back: Retry-After, else the reset of whichever limit ran out.</summary>
    private DateTimeOffset? RetryAfter(ApiException exception)
    {
        var now = clock.GetUtcNow();
        var retryAfter = exception.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return now + delta;
        }

        if (retryAfter?.Date is { } date)
        {
            return date;
        }

        foreach (var header in (string[])["X-FloodControl-Reset", "X-Ratelimit-Reset"])
        {
            if (exception.Headers.TryGetValues(header, out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
            {
                var at = DateTimeOffset.FromUnixTimeSeconds(reset);
                return at > now ? at : now;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The handler of queued webhook {MessageId} failed; it is retried")]
    private partial void LogWebhookHandlerFailed(Exception exception, long messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "An outbox batch failed; it is retried on the next poll")]
    private partial void LogBatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HipChat refused the credentials of installation {OAuthId}; it was probably removed without telling the add-on")]
    private partial void LogCredentialsRefused(string oAuthId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} (attempt {Attempts}) retried at {RetryAt}: {Error}")]
    private partial void LogRetryScheduled(long messageId, int attempts, DateTimeOffset retryAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} of installation {OAuthId}, room {RoomId} dead-lettered: {Error}")]
    private partial void LogDeadLettered(long messageId, string oAuthId, long roomId, string error);

    private enum OutcomeKind
    {
        Delivered,
        Retry,
        Dead,
    }

    private sealed record Outcome(OutcomeKind Kind, string? Error = null, DateTimeOffset? RetryAt = null)
    {
        public static Outcome Delivered { get; } = new(OutcomeKind.Delivered);

        public static Outcome Dead(string error) => new(OutcomeKind.Dead, error);

        public static Outcome Retry(string error, DateTimeOffset at) => new(OutcomeKind.Retry, error, at);
    }
}
