using CleanAddon.Application.Glances;

namespace CleanAddon.Application.Abstractions;

/// <summary>
/// What each room's glances show, in memory, so that HipChat clients opening a room are answered without the
/// handler or the database: an update the add-on sends for a room replaces the entry once it commits, and an entry
/// lives a few seconds at most, so that another instance's updates show within that time.
/// </summary>
public interface IGlanceCache
{
    bool TryGet(string oAuthId, long roomId, string glanceKey, out GlanceContent content);

    void Set(string oAuthId, long roomId, string glanceKey, GlanceContent content);
}
