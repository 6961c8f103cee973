using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Installations;
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
/// Delivers calls to HipChat, a room's one after the other. Delivered calls leave the queue together when the room's
/// run ends (a crash repeats at most those, once each); a call that fails is retried or given up by
/// <see cref="DeliveryPolicy"/>, and its room's later calls wait for it. A pause HipChat asked for (rate limit, flood
/// control) holds the room's calls back until it ends; an installation whose credentials HipChat refuses is revoked.
/// </summary>
internal sealed partial class HipChatCallWorker(
    IServiceScopeFactory scopes,
    RoomClaims claims,
    QueueSignals signals,
    HipChatSender sender,
    IInstallationDirectory installations,
    DeliveryPolicy policy,
    IOptions<OutboxOptions> options,
    IOptions<WorkerOptions> worker,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<HipChatCallWorker> logger)
    : RoomWorker<HipChatCall>(scopes, claims, signals.HipChatCalls, options, worker, lifetime, clock, logger)
{
    private readonly List<PendingCompletion> _completions = [];
    private readonly SemaphoreSlim _completing = new(1, 1);

    protected override async Task WorkRoomAsync(IReadOnlyList<HipChatCall> calls, CancellationToken stoppingToken)
    {
        var installation = await installations.FindAsync(calls[0].OAuthId, CancellationToken.None);
        var delivered = new List<long>(calls.Count);
        var next = 0;
        DateTimeOffset? pause = null;
        try
        {
            while (next < calls.Count && !stoppingToken.IsCancellationRequested)
            {
                var call = calls[next];
                var outcome = await SendAsync(call, installation);
                if (outcome is null)
                {
                    pause = policy.PausedUntil(call.OAuthId, call.RoomId);
                    break;
                }

                next++;
                if (outcome.Kind is DeliveryOutcomeKind.Delivered)
                {
                    delivered.Add(call.Id);
                    continue;
                }

                // This call failed: it is recorded, and the room's later calls wait for it.
                await RecordAsync(call, outcome, installation!);
                if (outcome.Kind is DeliveryOutcomeKind.CredentialsRefused or DeliveryOutcomeKind.Abandoned)
                {
                    await AbandonAsync(calls.Skip(next));
                    next = calls.Count;
                }

                break;
            }
        }
        finally
        {
            await CompleteAsync(delivered);
            await GiveBackAsync(calls.Skip(next), pause);
        }
    }

    /// <summary>
    /// Sends one call, or answers null when the room's calls must wait without one being tried: HipChat asked for a
    /// pause, or the lease would run out before the call could finish.
    /// </summary>
    private async Task<DeliveryOutcome?> SendAsync(HipChatCall call, InstallationSnapshot? installation)
    {
        if (installation is null)
        {
            // Uninstalled meanwhile: its calls go with it; this one is simply not sent.
            return DeliveryOutcome.Delivered;
        }

        if (installation.IsRevoked)
        {
            return DeliveryOutcome.Abandon(RevokeInstallationHandler.Reason);
        }

        if (policy.PausedUntil(call.OAuthId, call.RoomId) is not null || policy.LeaseTooShort(call))
        {
            return null;
        }

        using var activity = AddonTelemetry.StartWork(AddonTelemetry.Queues.Calls, call.Kind.ToString(), call.Id, call.TraceParent);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["OAuthId"] = call.OAuthId,
            ["RoomId"] = call.RoomId,
            ["HipChatCallId"] = call.Id,
        });
        var outcome = await sender.SendAsync(call, installation);
        activity?.SetTag("cleanaddon.queue.outcome", outcome.Kind.ToString());
        AddonTelemetry.Worked(AddonTelemetry.Queues.Calls, call.Kind.ToString(), outcome.Kind.ToString());
        return outcome;
    }

    private async Task RecordAsync(HipChatCall call, DeliveryOutcome outcome, InstallationSnapshot installation)
    {
        switch (outcome.Kind)
        {
            case DeliveryOutcomeKind.Retry:
                await RecordFailureAsync(call, outcome.Error!, outcome.At!.Value, giveUp: false);
                break;
            case DeliveryOutcomeKind.Dead:
                await RecordFailureAsync(call, outcome.Error!, Clock.GetUtcNow(), giveUp: true);
                break;
            case DeliveryOutcomeKind.CredentialsRefused:
                await RevokeAsync(installation);
                await AbandonAsync([call]);
                break;
            case DeliveryOutcomeKind.Abandoned:
                await AbandonAsync([call]);
                break;
        }
    }

    private async Task RevokeAsync(InstallationSnapshot installation)
    {
        await using var scope = Scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ISender>()
            .Send(new RevokeInstallationCommand(installation.OAuthId), CancellationToken.None);
    }

    /// <summary>
    /// Takes a room's delivered calls off the queue, together with those of every room finishing meanwhile: one
    /// statement (on SQLite one commit and one disk flush) for many rooms. The room waits until its calls are gone, so
    /// that its next claim cannot find them again.
    /// </summary>
    private async Task CompleteAsync(List<long> delivered)
    {
        if (delivered.Count == 0)
        {
            return;
        }

        var completion = new PendingCompletion(delivered);
        lock (_completions)
        {
            _completions.Add(completion);
        }

        // One writer at a time; whoever writes takes everything waiting, so a room may find its calls already gone.
        await _completing.WaitAsync(CancellationToken.None);
        try
        {
            List<PendingCompletion> group;
            lock (_completions)
            {
                group = [.. _completions];
                _completions.Clear();
            }

            if (group.Count > 0)
            {
                await CompleteGroupAsync(group);
            }
        }
        finally
        {
            _completing.Release();
        }

        await completion.Done.Task;
    }

    private async Task CompleteGroupAsync(List<PendingCompletion> group)
    {
        try
        {
            await using var scope = Scopes.CreateAsyncScope();
            await RoomClaims.CompleteAsync<HipChatCall>(
                scope.ServiceProvider.GetRequiredService<AddonDbContext>(),
                Owner,
                [.. group.SelectMany(completion => completion.Ids)],
                CancellationToken.None);
            group.ForEach(completion => completion.Done.TrySetResult());
        }
        catch (Exception exception)
        {
            group.ForEach(completion => completion.Done.TrySetException(exception));
        }
    }

    public override void Dispose()
    {
        _completing.Dispose();
        base.Dispose();
    }

    private sealed record PendingCompletion(List<long> Ids)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Dead-letters calls unsent: their installation was revoked, so they can never be delivered.</summary>
    private async Task AbandonAsync(IEnumerable<HipChatCall> calls)
    {
        var held = calls.ToList();
        if (held.Count == 0)
        {
            return;
        }

        var ids = held.Select(c => c.Id).ToList();
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        var now = Clock.GetUtcNow();
        foreach (var call in await RoomClaims.Held<HipChatCall>(db, Owner, ids).ToListAsync(CancellationToken.None))
        {
            call.Abandon(RevokeInstallationHandler.Reason, now);
        }

        await db.WriteAsync(token => db.SaveChangesAsync(token), CancellationToken.None);
        LogAbandoned(ids.Count, held[0].OAuthId);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} calls of revoked installation {OAuthId} dead-lettered unsent")]
    private partial void LogAbandoned(int count, string oAuthId);
}
