namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// SQLite lets one connection write at a time, and Microsoft.Data.Sqlite answers a busy database by putting the
/// calling thread to sleep for 150 ms before it tries again. Under load that sleep, not the work, set the latency of
/// every webhook. So the writers of this process take turns here instead: asynchronously, in arrival order, with no
/// thread blocked. PostgreSQL locks rows and needs no such gate.
/// </summary>
internal sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    // A unit of work holding its turn (a queued webhook's handlers with their commit) saves inside it: no second turn.
    private readonly AsyncLocal<bool> _holding = new();

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        if (_holding.Value)
        {
            return await write(cancellationToken);
        }

        await _turn.WaitAsync(cancellationToken);
        try
        {
            _holding.Value = true;
            return await write(cancellationToken);
        }
        finally
        {
            _holding.Value = false;
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
