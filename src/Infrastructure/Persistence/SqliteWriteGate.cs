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

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return await write(cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
