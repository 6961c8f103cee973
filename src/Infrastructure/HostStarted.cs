using Microsoft.Extensions.Hosting;

namespace CleanAddon.Infrastructure;

/// <summary>
/// Background work waits here until the host has started: its first queries compile EF Core's and build its caches on
/// the same two cores that start-up runs on, and nothing needs them before the add-on listens.
/// </summary>
internal static class HostStarted
{
    /// <summary>True once the host has started; false when it is stopping first.</summary>
    public static async Task<bool> WaitAsync(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
