using System.Collections.Concurrent;

namespace CleanAddon.Infrastructure.Intake;

/// <summary>
/// How much work each installation has waiting, kept in memory so that accepting a webhook costs no query. The
/// database is the truth: the dispatcher replaces these counts with its own every few seconds, and in between each
/// webhook queued here counts one more.
/// </summary>
internal sealed class QueuedWork
{
    private volatile ConcurrentDictionary<string, int> _waiting = new(StringComparer.Ordinal);

    /// <summary>Counts one more message for the installation unless it has <paramref name="cap"/> waiting already.</summary>
    public bool TryAdd(string oAuthId, int cap)
    {
        var waiting = _waiting;
        if (waiting.AddOrUpdate(oAuthId, 1, (_, count) => count + 1) <= cap)
        {
            return true;
        }

        waiting.AddOrUpdate(oAuthId, 0, (_, count) => count - 1);
        return false;
    }

    /// <summary>Takes the counts the database holds now; an installation it does not name has nothing waiting.</summary>
    public void Reset(IReadOnlyDictionary<string, int> waiting) =>
        _waiting = new ConcurrentDictionary<string, int>(waiting, StringComparer.Ordinal);
}
