using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Webhooks;
using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.Delivery;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Telemetry;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.Queues;

/// <summary>
/// Runs the handlers of accepted webhooks. A room's claimed webhooks are handled in one unit of work
/// (<see cref="HandleWebhookCommand"/>): the jobs leave the queue in the transaction that commits what their handlers
/// changed and the calls they queued. If that fails, they are handled again one by one, so that one failing handler
/// is retried (and in the end dead-lettered) alone, and the webhooks after it in its room wait for it.
/// </summary>
internal sealed partial class WebhookJobWorker(
    IServiceScopeFactory scopes,
    RoomClaims claims,
    QueueSignals signals,
    DeliveryPolicy policy,
    IOptions<OutboxOptions> options,
    IOptions<WorkerOptions> worker,
    TimeProvider clock,
    ILogger<WebhookJobWorker> logger)
    : RoomWorker<WebhookJob>(scopes, claims, signals.WebhookJobs, options, worker, clock, logger)
{
    protected override async Task WorkRoomAsync(IReadOnlyList<WebhookJob> jobs, CancellationToken stoppingToken)
    {
        if (jobs.Count > 1 && await HandleAsync(jobs) is not HandleResult.Failed)
        {
            return;
        }

        for (var i = 0; i < jobs.Count; i++)
        {
            if (stoppingToken.IsCancellationRequested || await HandleAsync([jobs[i]]) is not HandleResult.Handled)
            {
                await GiveBackAsync(jobs.Skip(i + 1), dueAt: null);
                return;
            }
        }
    }

    private async Task<HandleResult> HandleAsync(IReadOnlyList<WebhookJob> jobs)
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

        foreach (var job in jobs)
        {
            AddonTelemetry.Worked(AddonTelemetry.Queues.Webhooks, job.WebhookKey, result.ToString());
        }

        if (result == HandleResult.Handled)
        {
            signals.HipChatCalls.Notify();
        }
        else if (failure is not null && jobs.Count == 1)
        {
            LogHandlerFailed(failure, jobs[0].Id, jobs[0].WebhookKey);
            await RecordFailureAsync(
                jobs[0], $"The webhook's handler failed ({failure.GetType().Name})", policy.Backoff(jobs[0].Attempts),
                giveUp: false);
        }

        return result;
    }

    private async Task<HandleResult> HandleInOneUnitOfWorkAsync(IReadOnlyList<WebhookJob> jobs)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var ids = jobs.Select(j => j.Id).ToList();
        return await db.WriteAsync(
            async token =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(token);

                // Taken off the queue only if this worker still holds every one of them (a lease can run out).
                if (await RoomClaims.Held<WebhookJob>(db, Owner, ids).ExecuteDeleteAsync(token) != ids.Count)
                {
                    return HandleResult.Lost;
                }

                // Each job's handler runs in the job's own trace (a single job's is already current), so that the
                // calls it queues continue the trace HipChat's request started; they all commit together below.
                foreach (var job in jobs)
                {
                    using var activity = jobs.Count > 1
                        ? AddonTelemetry.StartWork(AddonTelemetry.Queues.Webhooks, job.WebhookKey, job.Id, job.TraceParent)
                        : null;
                    await sender.Send(
                        new HandleWebhookCommand([new QueuedWebhook(
                            job.Id, job.OAuthId, job.RoomId, job.WebhookKey, job.UserId, job.EventJson)]),
                        token);
                }

                await transaction.CommitAsync(token);
                return HandleResult.Handled;
            },
            CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The handler of webhook job {JobId} ('{Key}') failed; it is retried")]
    private partial void LogHandlerFailed(Exception exception, long jobId, string key);

    private enum HandleResult
    {
        Handled,

        /// <summary>Another instance took the jobs over (their lease ran out): nothing done, nothing to record.</summary>
        Lost,
        Failed,
    }
}
