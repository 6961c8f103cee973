using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.Intake;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CleanAddon.Infrastructure.Queues;

/// <summary>
/// Every few seconds, counts what waits in both queues: per installation, for the intake's cap
/// (<see cref="QueuedWork"/>, so that accepting a webhook costs no count), and in all, for the depth and oldest-age
/// metrics. Every instance runs it, web-only ones too: they enforce the cap.
/// </summary>
internal sealed partial class QueueObserver(
    IServiceScopeFactory scopes,
    QueuedWork queued,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<QueueObserver> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await HostStarted.WaitAsync(lifetime, stoppingToken))
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await ObserveAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogObserveFailed(exception);
            }
        }
        while (await NextAsync(timer, stoppingToken));
    }

    private async Task ObserveAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        var now = clock.GetUtcNow();
        var webhooks = await WaitingAsync(db.WebhookJobs, cancellationToken);
        var calls = await WaitingAsync(db.HipChatCalls, cancellationToken);
        queued.Reset(webhooks.PerInstallation.Concat(calls.PerInstallation)
            .GroupBy(w => w.Key, w => w.Value, StringComparer.Ordinal)
            .ToDictionary(w => w.Key, w => w.Sum(), StringComparer.Ordinal));
        AddonTelemetry.QueuesObserved(
            webhooks.Depth, now - (webhooks.Oldest ?? now), calls.Depth, now - (calls.Oldest ?? now));
    }

    private static async Task<Waiting> WaitingAsync<T>(IQueryable<T> queue, CancellationToken cancellationToken)
        where T : QueuedItem
    {
        // One statement, so the counts and the oldest item agree: a second one could find the queue emptied meanwhile.
        var installations = await queue.Where(i => i.DeadLetteredAt == null)
            .GroupBy(i => i.OAuthId)
            .Select(g => new { OAuthId = g.Key, Count = g.Count(), Oldest = g.Min(i => i.CreatedAt) })
            .ToListAsync(cancellationToken);
        return new Waiting(
            installations.ToDictionary(i => i.OAuthId, i => i.Count, StringComparer.Ordinal),
            installations.Sum(i => (long)i.Count),
            installations.Count == 0 ? null : installations.Min(i => i.Oldest));
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting what waits in the queues failed; counted again shortly")]
    private partial void LogObserveFailed(Exception exception);

    private sealed record Waiting(Dictionary<string, int> PerInstallation, long Depth, DateTimeOffset? Oldest);
}
