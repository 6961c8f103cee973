using System.Collections.Concurrent;
using CleanAddon.Application.Abstractions;
using CleanAddon.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Infrastructure.Security;

/// <summary>
/// Installations read once and kept until they change. The store drops an entry when a change to it commits
/// (<see cref="AddonDbContext"/>); on PostgreSQL, <see cref="InstallationChangeListener"/> drops what other instances
/// changed, and everything whenever it may have missed a notification. Issuers that are not installed are remembered
/// too, up to <see cref="MaxUnknown"/> of them, so that replaying one JWT does not cost a database read per request.
/// </summary>
internal sealed class InstallationDirectory(IServiceScopeFactory scopes) : IInstallationDirectory
{
    public const int MaxUnknown = 10_000;

    private readonly ConcurrentDictionary<string, InstallationSnapshot> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _unknown = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    // Counts invalidations, so that a read which began before one is not kept after it.
    private long _version;
    private bool _caching = true;

    /// <summary>
    /// A directory that keeps nothing until <see cref="Subscribed"/>: on a shared database it may keep only what it
    /// will hear about when it changes.
    /// </summary>
    public static InstallationDirectory AwaitingSubscription(IServiceScopeFactory scopes)
    {
        var directory = new InstallationDirectory(scopes);
        directory.Unsubscribed();
        return directory;
    }

    public async ValueTask<InstallationSnapshot?> FindAsync(string oAuthId, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(oAuthId, out var known))
        {
            return known;
        }

        if (_unknown.ContainsKey(oAuthId))
        {
            return null;
        }

        var version = Interlocked.Read(ref _version);
        var loaded = await LoadAsync(oAuthId, cancellationToken);
        lock (_gate)
        {
            if (_caching && version == _version)
            {
                Keep(oAuthId, loaded);
            }
        }

        return loaded;
    }

    /// <summary>Drops what is known of one installation: it changed, or was installed or removed.</summary>
    public void Invalidate(string oAuthId)
    {
        lock (_gate)
        {
            _version++;
            _known.TryRemove(oAuthId, out _);
            _unknown.TryRemove(oAuthId, out _);
        }
    }

    /// <summary>Changes are heard of again: keep what is read from now on.</summary>
    public void Subscribed() => Reset(caching: true);

    /// <summary>Changes may go unheard: drop everything and read every installation from the store until resubscribed.</summary>
    public void Unsubscribed() => Reset(caching: false);

    private void Reset(bool caching)
    {
        lock (_gate)
        {
            _version++;
            _known.Clear();
            _unknown.Clear();
            _caching = caching;
        }
    }

    private void Keep(string oAuthId, InstallationSnapshot? loaded)
    {
        if (loaded is not null)
        {
            _known[oAuthId] = loaded;
            return;
        }

        if (_unknown.Count >= MaxUnknown)
        {
            _unknown.Clear();
        }

        _unknown[oAuthId] = true;
    }

    private async Task<InstallationSnapshot?> LoadAsync(string oAuthId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        var installation = await db.Installations.AsNoTracking()
            .FirstOrDefaultAsync(i => i.OAuthId == oAuthId, cancellationToken);
        return installation is null ? null : InstallationSnapshot.Of(installation);
    }
}
