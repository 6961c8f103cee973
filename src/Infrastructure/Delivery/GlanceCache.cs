using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Glances;
using Microsoft.Extensions.Caching.Memory;

namespace CleanAddon.Infrastructure.Delivery;

/// <summary>Entries expire after <see cref="Lifetime"/>; the cache holds at most <see cref="Capacity"/> rooms' glances.</summary>
internal sealed class GlanceCache : IGlanceCache, IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    public const int Capacity = 100_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public bool TryGet(string oAuthId, long roomId, string glanceKey, out GlanceContent content) =>
        _entries.TryGetValue((oAuthId, roomId, glanceKey), out content!);

    public void Set(string oAuthId, long roomId, string glanceKey, GlanceContent content) =>
        _entries.Set((oAuthId, roomId, glanceKey), content, new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = Lifetime,
        });

    public void Dispose() => _entries.Dispose();
}
