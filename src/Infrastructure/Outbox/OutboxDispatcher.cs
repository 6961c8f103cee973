using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Webhooks;
using CleanAddon.Domain;
using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Outbox;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Intake;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Telemetry;
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
    DeliveryPolicy policy,
    QueuedWork queued,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int MaxParallelDeliveries = 8;
    private static readonly TimeSpan ObservationInterval = TimeSpan.FromSeconds(5);
    private const string Revoked = "The installation was revoked: HipChat refused its credentials.";

    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly OutboxOptions _options = options.Value;
    private DateTimeOffset _nextObservation;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                await ObserveAsync(stoppingToken);
                claimed = await DispatchBatchAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(exception);
            }

            // A delivery unblocks the next message of its room, so only an empty round waits.
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

    /// <summary>
    /// Counts what each installation has waiting, for the intake's cap and the metrics (depth, oldest age), at most
    /// every few seconds.
    /// </summary>
    private async Task ObserveAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _nextObservation)
        {
            return;
        }

        _nextObservation = now + ObservationInterval;
        await using var scope = scopes.CreateAsyncScope();
        var pending = scope.ServiceProvider.GetRequiredService<AddonDbContext>().Outbox.Where(m => m.DeadLetteredAt == null);
        var waiting = await pending.GroupBy(m => m.OAuthId)
            .Select(g => new { OAuthId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.OAuthId, g => g.Count, cancellationToken);
        queued.Reset(waiting);
        var depth = waiting.Values.Sum(count => (long)count);
        var oldest = depth == 0 ? now : await pending.MinAsync(m => m.CreatedAt, cancellationToken);
        AddonTelemetry.OutboxObserved(depth, now - oldest);
    }

    /// <summary>
    /// Claims and delivers one batch; returns how many messages it claimed. Once <paramref name="stoppingToken"/>
    /// fires, calls in flight finish (each bounded by the request timeout) and the rest go back unsent, so a
    /// stopping instance leaves neither half-recorded deliveries nor leases for others to wait out.
    /// </summary>
    public async Task<int> DispatchBatchAsync(CancellationToken stoppingToken)
    {
        List<OutboxMessage> messages;
        Dictionary<string, Installation> installations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
            var ids = await ClaimAsync(db, stoppingToken);
            if (ids.Count == 0)
            {
                return 0;
            }

            messages = await db.Outbox.AsNoTracking().Where(m => ids.Contains(m.Id)).OrderBy(m => m.Id)
                .ToListAsync(CancellationToken.None);
            var oAuthIds = messages.Select(m => m.OAuthId).Distinct().ToList();
            installations = await db.Installations.AsNoTracking()
                .Where(i => oAuthIds.Contains(i.OAuthId))
                .ToDictionaryAsync(i => i.OAuthId, CancellationToken.None);
        }

        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelDeliveries },
            async (message, _) =>
            {
                using var activity = AddonTelemetry.StartDelivery(message.Kind, message.Id, message.TraceParent);
                using var scope = logger.BeginScope(new Dictionary<string, object>
                {
                    ["OAuthId"] = message.OAuthId,
                    ["RoomId"] = message.RoomId,
                    ["OutboxMessageId"] = message.Id,
                });
                var outcome = stoppingToken.IsCancellationRequested
                    ? DeliveryOutcome.Postpone(clock.GetUtcNow())
                    : await SendAsync(message, installations.GetValueOrDefault(message.OAuthId));
                activity?.SetTag("cleanaddon.outbox.outcome", outcome.Kind.ToString());
                AddonTelemetry.DeliveryAttempted(message.Kind, outcome.Kind.ToString());
                await RecordAsync(message, outcome);
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
        return await db.Database.SqlQuery<long>($"""
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
            """).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// One delivery. Not cancellable on purpose: a call cut off half-way may have reached HipChat, and its outcome
    /// must be recorded; <c>HipChat:RequestTimeout</c> bounds every call instead.
    /// </summary>
    private async Task<DeliveryOutcome> SendAsync(OutboxMessage message, Installation? installation)
    {
        if (installation is null)
        {
            return DeliveryOutcome.Delivered;
        }

        if (installation.IsRevoked)
        {
            return DeliveryOutcome.Abandon(Revoked);
        }

        if (!OutboxKinds.IsKnown(message.Kind))
        {
            return DeliveryOutcome.Dead($"Unknown outbox message kind '{message.Kind}'.");
        }

        if (message.Kind == OutboxKinds.Webhook)
        {
            return await RunWebhookAsync(message);
        }

        if (policy.PausedUntil(message.OAuthId, message.RoomId) is { } pausedUntil)
        {
            return DeliveryOutcome.Postpone(pausedUntil);
        }

        if (policy.LeaseTooShort(message))
        {
            return DeliveryOutcome.Postpone(clock.GetUtcNow());
        }

        try
        {
            var api = hipChat.For(installation.ApiBaseUrl);
            var token = await TokenAsync(installation, rejected: null);
            var response = await CallAsync(api, message, token);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                // A token can be revoked before it expires: drop it, fetch a new one and try once more.
                response.Dispose();
                token = await TokenAsync(installation, rejected: token);
                response = await CallAsync(api, message, token);
            }

            using (response)
            {
                var error = response.IsSuccessStatusCode ? null : await ErrorMessageAsync(response);
                return policy.Judge(message, response.StatusCode, response.Headers, error);
            }
        }
        catch (HipChatCredentialsRefusedException exception)
        {
            return DeliveryOutcome.CredentialsRefused(exception.Message);
        }
        catch (HipChatUnavailableException exception)
        {
            var limited = exception.InnerException as ApiException;
            var retryAt = limited?.StatusCode == HttpStatusCode.TooManyRequests ? policy.RetryAt(limited.Headers) : null;
            return DeliveryOutcome.Retry(
                $"HipChat's token endpoint: {exception.Message}", retryAt ?? policy.Backoff(message.Attempts));
        }
        catch (Exception exception) when (exception is HipChatRejectedException or DomainRuleException)
        {
            return DeliveryOutcome.Dead($"HipChat's token endpoint: {exception.Message}");
        }
        catch (Exception exception) when (exception.Find<OutboundHostRejectedException>() is { } rejected)
        {
            return DeliveryOutcome.Dead(rejected.Message);
        }
        catch (Exception exception) when (exception.Find<HttpRequestException>() is not null
            || exception.Find<TimeoutRejectedException>() is not null
            || exception.Find<OperationCanceledException>() is not null
            || exception.Find<IOException>() is not null)
        {
            return DeliveryOutcome.Retry(
                $"HipChat unreachable ({exception.GetType().Name})", policy.Backoff(message.Attempts));
        }
        catch (Exception exception)
        {
            // Counted like any failure, so a message that always throws ends among the dead letters, not in a loop.
            LogDeliveryFailed(exception, message.Id);
            return DeliveryOutcome.Retry(
                $"Unexpected {exception.GetType().Name} while delivering", policy.Backoff(message.Attempts));
        }
    }

    private async Task<DeliveryOutcome> RunWebhookAsync(OutboxMessage message)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(
                new HandleWebhookCommand(message.Id, Deserialize<QueuedWebhook>(message)), CancellationToken.None);
            return DeliveryOutcome.Delivered;
        }
        catch (Exception exception)
        {
            LogWebhookHandlerFailed(exception, message.Id);
            return DeliveryOutcome.Retry(
                $"The webhook handler failed ({exception.GetType().Name})", policy.Backoff(message.Attempts));
        }
    }

    private static T Deserialize<T>(OutboxMessage message) =>
        JsonSerializer.Deserialize<T>(message.Payload, HipChatJson.Options)
        ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty payload.");

    private Task<string> TokenAsync(Installation installation, string? rejected) =>
        tokens.GetAsync(installation, AccessTokenProvider.DescriptorScopes, rejected, CancellationToken.None);

    private static Task<HttpResponseMessage> CallAsync(IHipChatApi api, OutboxMessage message, string token)
    {
        var body = new StringContent(message.Payload, Encoding.UTF8, "application/json");
        var none = CancellationToken.None;
        return message.Kind switch
        {
            OutboxKinds.RoomNotification => api.SendRoomNotificationAsync(message.RoomId, body, token, none),
            OutboxKinds.RoomMessage => api.SendRoomMessageAsync(message.RoomId, body, token, none),
            OutboxKinds.RoomGlance => api.UpdateRoomGlanceAsync(message.RoomId, body, token, none),
            _ => throw new UnreachableException($"Outbox kind '{message.Kind}' was checked before sending."),
        };
    }

    /// <summary>HipChat explains a refusal in <c>error.message</c> (spec 7.3); operators read it among the dead letters.</summary>
    private static async Task<string?> ErrorMessageAsync(HttpResponseMessage response)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
                    ? message.GetString()
                    : null;
        }
        catch (Exception exception) when (exception is JsonException or IOException or HttpRequestException)
        {
            return null;
        }
    }

    private async Task RecordAsync(OutboxMessage sent, DeliveryOutcome outcome)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();

        // SQLite has one writer: the outcome takes its turn with every other write (requests included) through the
        // context's write gate, rather than collide and sleep on SQLITE_BUSY.
        await db.WriteAsync(
            async _ =>
            {
                await RecordAsync(db, sent, outcome);
                return true;
            },
            CancellationToken.None);
    }

    private async Task RecordAsync(AddonDbContext db, OutboxMessage sent, DeliveryOutcome outcome)
    {
        if (outcome.Kind == DeliveryOutcomeKind.Delivered)
        {
            await db.Outbox.Where(m => m.Id == sent.Id && m.LeaseOwner == _owner).ExecuteDeleteAsync();
            return;
        }

        if (outcome.Kind == DeliveryOutcomeKind.CredentialsRefused)
        {
            await RevokeAsync(db, sent);
            return;
        }

        var message = await db.Outbox.FirstOrDefaultAsync(m => m.Id == sent.Id && m.LeaseOwner == _owner);
        if (message is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        switch (outcome.Kind)
        {
            case DeliveryOutcomeKind.Postponed:
                message.Postpone(outcome.At!.Value);
                break;
            case DeliveryOutcomeKind.Abandoned:
                message.Abandon(outcome.Error!, now);
                LogAbandoned(message.Id, message.OAuthId);
                break;
            case DeliveryOutcomeKind.Retry when message.Attempts + 1 < _options.MaxAttempts:
                message.ScheduleRetry(outcome.Error!, outcome.At!.Value);
                LogRetryScheduled(message.Id, message.Attempts, outcome.At.Value, outcome.Error!);
                break;
            default:
                message.DeadLetter(outcome.Error!, now);
                LogDeadLettered(message.Id, message.OAuthId, message.RoomId, message.Attempts, outcome.Error!);
                break;
        }

        await db.SaveChangesAsync();
    }

    /// <summary>
    /// HipChat removed the installation without telling the add-on: mark it revoked (the instance that wins the
    /// race logs it, once), and dead-letter this message and every pending one no other delivery holds.
    /// </summary>
    private async Task RevokeAsync(AddonDbContext db, OutboxMessage sent)
    {
        var now = clock.GetUtcNow();
        var installation = await db.Installations.FirstOrDefaultAsync(i => i.OAuthId == sent.OAuthId);
        if (installation is not null && installation.Revoke(now))
        {
            try
            {
                await db.SaveChangesAsync();
                LogInstallationRevoked(installation.OAuthId);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
            }
        }

        var pending = await db.Outbox
            .Where(m => m.OAuthId == sent.OAuthId && m.DeadLetteredAt == null
                && ((m.Id == sent.Id && m.LeaseOwner == _owner) || m.LeaseExpiresAt == null || m.LeaseExpiresAt < now))
            .ToListAsync();
        foreach (var message in pending)
        {
            message.Abandon(Revoked, now);
        }

        await db.SaveChangesAsync();
        LogAbandonedAll(pending.Count, sent.OAuthId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The handler of queued webhook {MessageId} failed; it is retried")]
    private partial void LogWebhookHandlerFailed(Exception exception, long messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering outbox message {MessageId} failed unexpectedly")]
    private partial void LogDeliveryFailed(Exception exception, long messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "An outbox batch failed; it is retried on the next poll")]
    private partial void LogBatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HipChat refused the credentials of installation {OAuthId}: it was removed without telling the add-on, which stops sending for it")]
    private partial void LogInstallationRevoked(string oAuthId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} (attempt {Attempts}) retried at {RetryAt}: {Error}")]
    private partial void LogRetryScheduled(long messageId, int attempts, DateTimeOffset retryAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} of installation {OAuthId}, room {RoomId} dead-lettered after {Attempts} attempts: {Error}")]
    private partial void LogDeadLettered(long messageId, string oAuthId, long roomId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox message {MessageId} of revoked installation {OAuthId} dead-lettered unsent")]
    private partial void LogAbandoned(long messageId, string oAuthId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} pending outbox messages of revoked installation {OAuthId} dead-lettered unsent")]
    private partial void LogAbandonedAll(int count, string oAuthId);
}
