using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Webhooks;
using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.Delivery;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Telemetry;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.Queues;

/// <summary>
/// Runs the handlers of accepted webhooks. A claimed round — the next webhooks of up to <c>Outbox:ConcurrentRooms</c>
/// rooms — is handled in one unit of work (a <see cref="HandleWebhookCommand"/> each, room after room, saved once): the
/// jobs leave the queue in the transaction that commits what their handlers changed and the calls they queued, so a
/// busy add-on pays one save for many webhooks. If that fails, each room is handled on its own, all at once, and a
/// room that fails again one webhook at a time, so that one failing handler is retried (and in the end dead-lettered)
/// alone, and the webhooks after it in its room wait for it.
/// </summary>
internal sealed partial class WebhookJobWorker(
    IServiceScopeFactory scopes,
    RoomClaims claims,
    QueueSignals signals,
    DeliveryPolicy policy,
    IOptions<OutboxOptions> options,
    IOptions<WorkerOptions> worker,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<WebhookJobWorker> logger)
    : RoomWorker<WebhookJob>(scopes, claims, signals.WebhookJobs, options, worker, lifetime, clock, logger)
{
    protected override async Task WorkRoundAsync(
        IReadOnlyList<IReadOnlyList<WebhookJob>> rooms, CancellationToken stoppingToken)
    {
        if (rooms.Count > 1 && await HandleAsync([.. rooms.SelectMany(room => room)], round: true) is HandleResult.Handled)
        {
            RoomsDone(rooms.Count);
            return;
        }

        await base.WorkRoundAsync(rooms, stoppingToken);
    }

    protected override async Task WorkRoomAsync(IReadOnlyList<WebhookJob> jobs, CancellationToken stoppingToken)
    {
        if (jobs.Count > 1 && await HandleAsync(jobs, round: false) is not HandleResult.Failed)
        {
            return;
        }

        for (var i = 0; i < jobs.Count; i++)
        {
            if (stoppingToken.IsCancellationRequested || await HandleAsync([jobs[i]], round: false) is not HandleResult.Handled)
            {
                await GiveBackAsync(jobs.Skip(i + 1), dueAt: null);
                return;
            }
        }
    }

    private async Task<HandleResult> HandleAsync(IReadOnlyList<WebhookJob> jobs, bool round)
    {
        using var activity = jobs.Count == 1
            ? AddonTelemetry.StartWork(AddonTelemetry.Queues.Webhooks, jobs[0].WebhookKey, jobs[0].Id, jobs[0].TraceParent)
            : null;
        HandleResult result;
        Exception? failure = null;
        try
        {
            result = await HandleInOneUnitOfWorkAsync(jobs);
        }
        catch (Exception exception)
        {
            result = HandleResult.Failed;
            failure = exception;
        }

        // Counted once per job, by what finally became of it: a round that did not go through is worked again room by
        // room, and a room's batch that failed job by job; they are counted then.
        if (result is HandleResult.Handled || jobs.Count == 1 || (result is HandleResult.Lost && !round))
        {
            foreach (var job in jobs)
            {
                AddonTelemetry.Worked(AddonTelemetry.Queues.Webhooks, job.WebhookKey, result.ToString());
            }
        }

        if (failure is not null && jobs.Count == 1)
        {
            LogHandlerFailed(failure, jobs[0].Id, jobs[0].WebhookKey);
            await RecordFailureAsync(
                jobs[0], $"The webhook's handler failed ({failure.GetType().Name})", policy.Backoff(jobs[0].Attempts),
                giveUp: false);
        }

        return result;
    }

    /// <summary>
    /// The handlers run first, outside any transaction (they read what they need), each in its job's own trace so that
    /// the calls it queues continue the trace HipChat's request started; one save then takes the jobs off the queue and
    /// commits what the handlers changed and queued, in one short transaction: on SQLite the only time the writer's
    /// turn is held.
    /// </summary>
    private async Task<HandleResult> HandleInOneUnitOfWorkAsync(IReadOnlyList<WebhookJob> jobs)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var ids = jobs.Select(j => j.Id).ToList();

        // Taken off the queue only if this worker still holds every one of them (a lease can run out).
        db.BeforeSave(async token =>
        {
            if (await RoomClaims.Held<WebhookJob>(db, Owner, ids).ExecuteDeleteAsync(token) != ids.Count)
            {
                throw new LeaseLostException();
            }
        });
        db.DeferSaves();
        foreach (var job in jobs)
        {
            // A single job's trace is already current.
            using var activity = jobs.Count > 1
                ? AddonTelemetry.StartWork(AddonTelemetry.Queues.Webhooks, job.WebhookKey, job.Id, job.TraceParent)
                : null;
            await sender.Send(
                new HandleWebhookCommand([new QueuedWebhook(
                    job.Id, job.OAuthId, job.RoomId, job.WebhookKey, job.UserId, job.EventJson)]),
                CancellationToken.None);
        }

        try
        {
            await db.SaveDeferredAsync(CancellationToken.None);
            return HandleResult.Handled;
        }
        catch (LeaseLostException)
        {
            return HandleResult.Lost;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The handler of webhook job {JobId} ('{Key}') failed; it is retried")]
    private partial void LogHandlerFailed(Exception exception, long jobId, string key);

    /// <summary>Another instance took the jobs over while their handlers ran: the unit of work is dropped.</summary>
    private sealed class LeaseLostException : Exception;

    private enum HandleResult
    {
        Handled,

        /// <summary>Another instance took the jobs over (their lease ran out): nothing done, nothing to record.</summary>
        Lost,
        Failed,
    }
}
