namespace CleanAddon.Infrastructure.Queues;

/// <summary>Wakes a local worker when a commit queued work for it, so it does not wait for the next poll.</summary>
internal sealed class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        if (_pending.CurrentCount == 0)
        {
            try
            {
                _pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit signalled first; one wake-up serves both.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _pending.Dispose();
}

/// <summary>The two queues' signals: a commit wakes the worker of the queue it added to.</summary>
internal sealed class QueueSignals : IDisposable
{
    public WorkSignal WebhookJobs { get; } = new();

    public WorkSignal HipChatCalls { get; } = new();

    public void Dispose()
    {
        WebhookJobs.Dispose();
        HipChatCalls.Dispose();
    }
}
