using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.Queues;

/// <summary>
/// Works one queue room by room: claims the next items of as many rooms as it has free slots
/// (<c>Outbox:ConcurrentRooms</c>) in one round, works each room's items one after the other while other rooms go on
/// (at the same time, or in one unit of work: see <see cref="WorkRoundAsync"/>), and claims again as soon as a room is
/// done. A commit that queued work wakes it; polling
/// (<c>Outbox:PollInterval</c>) only catches what other instances queued. On shutdown, rooms in hand finish the item
/// they are on and give the rest back.
/// </summary>
internal abstract partial class RoomWorker<T> : BackgroundService
    where T : QueuedItem
{
    private readonly IServiceScopeFactory _scopes;
    private readonly RoomClaims _claims;
    private readonly WorkSignal _signal;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly bool _enabled;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly SemaphoreSlim _slots;

    protected RoomWorker(
        IServiceScopeFactory scopes,
        RoomClaims claims,
        WorkSignal signal,
        IOptions<OutboxOptions> options,
        IOptions<WorkerOptions> worker,
        IHostApplicationLifetime lifetime,
        TimeProvider clock,
        ILogger logger)
    {
        _lifetime = lifetime;
        _scopes = scopes;
        _claims = claims;
        _signal = signal;
        _clock = clock;
        _logger = logger;
        _enabled = worker.Value.Enabled;
        Options = options.Value;
        _slots = new SemaphoreSlim(Options.ConcurrentRooms, Options.ConcurrentRooms);
    }

    /// <summary>Who holds this worker's leases: one owner per worker and process.</summary>
    protected string Owner { get; } = Guid.NewGuid().ToString("N");

    protected OutboxOptions Options { get; }

    protected IServiceScopeFactory Scopes => _scopes;

    protected TimeProvider Clock => _clock;

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Works one claimed round, each room's slot freed (<see cref="RoomsDone"/>) once that room is done: by default
    /// every room on its own (<see cref="RunRoomAsync"/>), all at the same time.
    /// </summary>
    protected virtual Task WorkRoundAsync(IReadOnlyList<IReadOnlyList<T>> rooms, CancellationToken stoppingToken) =>
        Task.WhenAll(rooms.Select(room => RunRoomAsync(room, stoppingToken)));

    /// <summary>
    /// Works one room's claimed items, in order, and records what became of each: done items leave the queue, a failed
    /// one is retried later or given up, and the items after it are given back unworked (their room waits for it).
    /// </summary>
    protected abstract Task WorkRoomAsync(IReadOnlyList<T> items, CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled || !await HostStarted.WaitAsync(_lifetime, stoppingToken))
        {
            return;
        }

        var rounds = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = await FreeSlotsAsync(stoppingToken);
            if (free == 0)
            {
                break;
            }

            var claimed = await ClaimAsync(free, stoppingToken);
            if (free > claimed.Count)
            {
                _slots.Release(free - claimed.Count);
            }

            rounds.RemoveAll(round => round.IsCompleted);
            if (claimed.Count > 0)
            {
                rounds.Add(RunRoundAsync(claimed, stoppingToken));
            }
            else if (!await WaitForWorkAsync(stoppingToken))
            {
                break;
            }
        }

        await Task.WhenAll(rounds);
    }

    /// <summary>At least one free slot (waiting for it), and all the others free at the moment; 0 once stopping.</summary>
    private async Task<int> FreeSlotsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _slots.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        var free = 1;
        while (_slots.Wait(0, CancellationToken.None))
        {
            free++;
        }

        return free;
    }

    private async Task<IReadOnlyList<IReadOnlyList<T>>> ClaimAsync(int rooms, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
            var now = _clock.GetUtcNow();
            return await _claims.ClaimAsync<T>(
                db, new Lease(Owner, now, now + Options.LeaseDuration), rooms, Options.BatchSize, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogClaimFailed(exception, typeof(T).Name);
            return [];
        }
        catch (OperationCanceledException)
        {
            return [];
        }
    }

    private async Task<bool> WaitForWorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _signal.WaitAsync(Options.PollInterval, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RunRoundAsync(IReadOnlyList<IReadOnlyList<T>> rooms, CancellationToken stoppingToken)
    {
        // Off the claiming loop at once, so one round's work never holds up the next claim.
        await Task.Yield();
        await WorkRoundAsync(rooms, stoppingToken);
    }

    /// <summary>Frees the slots of rooms that are done, and looks at once for what they (or others) have waiting.</summary>
    protected void RoomsDone(int count)
    {
        _slots.Release(count);
        _signal.Notify();
    }

    protected async Task RunRoomAsync(IReadOnlyList<T> items, CancellationToken stoppingToken)
    {
        try
        {
            await WorkRoomAsync(items, stoppingToken);
        }
        catch (Exception exception)
        {
            // Whatever was not recorded is given back; its lease would free it anyway.
            LogRoomFailed(exception, items[0].OAuthId, items[0].RoomId);
            await GiveBackAsync(items, dueAt: null);
        }
        finally
        {
            RoomsDone(1);
        }
    }

    /// <summary>Gives items back unworked, due again at <paramref name="dueAt"/> (a pause) or as they were.</summary>
    protected async Task GiveBackAsync(IEnumerable<T> items, DateTimeOffset? dueAt)
    {
        var ids = items.Select(i => i.Id).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            await RoomClaims.ReleaseAsync<T>(
                scope.ServiceProvider.GetRequiredService<AddonDbContext>(), Owner, ids, dueAt, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogGiveBackFailed(exception, ids.Count);
        }
    }

    /// <summary>Records a failed item: retried after a backoff, or dead-lettered after <c>Outbox:MaxAttempts</c>.</summary>
    protected async Task RecordFailureAsync(T item, string error, DateTimeOffset retryAt, bool giveUp)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        var held = await RoomClaims.Held<T>(db, Owner, [item.Id]).FirstOrDefaultAsync(CancellationToken.None);
        if (held is null)
        {
            return;
        }

        if (giveUp || held.Attempts + 1 >= Options.MaxAttempts)
        {
            held.DeadLetter(error, _clock.GetUtcNow());
            LogDeadLettered(typeof(T).Name, held.Id, held.OAuthId, held.RoomId, held.Attempts, error);
        }
        else
        {
            held.ScheduleRetry(error, retryAt);
            LogRetryScheduled(typeof(T).Name, held.Id, held.Attempts, retryAt, error);
        }

        await db.WriteAsync(token => db.SaveChangesAsync(token), CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming {Queue} items failed; tried again on the next round")]
    private partial void LogClaimFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Working room {RoomId} of installation {OAuthId} failed unexpectedly; its items are given back")]
    private partial void LogRoomFailed(Exception exception, string oAuthId, long roomId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back {Count} items failed; their leases free them")]
    private partial void LogGiveBackFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue} {ItemId} (attempt {Attempts}) retried at {RetryAt}: {Error}")]
    private partial void LogRetryScheduled(string queue, long itemId, int attempts, DateTimeOffset retryAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Queue} {ItemId} of installation {OAuthId}, room {RoomId} dead-lettered after {Attempts} attempts: {Error}")]
    private partial void LogDeadLettered(string queue, long itemId, string oAuthId, long roomId, int attempts, string error);
}
