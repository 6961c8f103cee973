using CleanAddon.Application.DeadLetters;
using CleanAddon.Application.Webhooks;
using CleanAddon.Infrastructure.Queues;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.Intake;

/// <summary>
/// Keeps what intake leaves behind bounded: at start and every hour, forgets de-duplication records past their
/// 24 hours and purges dead letters past <c>Outbox:DeadLetterRetention</c>, through the same use cases operators
/// run. Every instance runs it; deleting what another instance deleted costs nothing.
/// </summary>
internal sealed partial class RetentionPurge(
    IServiceScopeFactory scopes,
    IOptions<OutboxOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<RetentionPurge> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

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
                await PurgeAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPurgeFailed(exception);
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var received = await sender.Send(new PurgeReceivedWebhooksCommand(), cancellationToken);
        var deadLetters = await sender.Send(new PurgeDeadLettersCommand(options.Value.DeadLetterRetention), cancellationToken);
        if (received + deadLetters > 0)
        {
            LogPurged(received, deadLetters);
        }
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Received} de-duplication records older than 24 hours and {DeadLetters} dead letters past their retention")]
    private partial void LogPurged(int received, int deadLetters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired records failed; it is tried again within the hour")]
    private partial void LogPurgeFailed(Exception exception);
}
