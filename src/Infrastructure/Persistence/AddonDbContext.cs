using CleanAddon.Application.Abstractions;
using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Outbox;
using CleanAddon.Domain.Rooms;
using CleanAddon.Domain.Settings;
using CleanAddon.Domain.Webhooks;
using CleanAddon.Infrastructure.Outbox;
using CleanAddon.Infrastructure.Persistence.Configurations;
using CleanAddon.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// The one DbContext. Each provider derives a thin context of its own because EF Core migrations are
/// provider-specific (see README, "Migrations").
/// </summary>
internal abstract class AddonDbContext(
    DbContextOptions options, SecretProtector secrets, OutboxSignal outboxSignal, InstallationDirectory installations)
    : DbContext(options), IAddonStore, IDataProtectionKeyContext
{
    // Installations changed in this unit of work; the directory forgets them once the change has committed.
    private readonly HashSet<string> _changedInstallations = new(StringComparer.Ordinal);

    public DbSet<Installation> Installations => Set<Installation>();

    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    public DbSet<RoomActivity> Rooms => Set<RoomActivity>();

    public DbSet<ReceivedWebhook> ReceivedWebhooks => Set<ReceivedWebhook>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<InstallationSettings> Settings => Set<InstallationSettings>();

    /// <summary>Keys the cached EF model by protector: each host protects secrets with its own key ring.</summary>
    public SecretProtector Secrets => secrets;

    // Find looks in this unit of work first: a request's JWT check and its use case read the installation once.
    public Task<Installation?> FindInstallationAsync(string oAuthId, CancellationToken cancellationToken) =>
        Installations.FindAsync([oAuthId], cancellationToken).AsTask();

    public void AddInstallation(Installation installation) => Installations.Add(installation);

    public Task<bool> RemoveInstallationAsync(string oAuthId, CancellationToken cancellationToken) =>
        WriteAsync(
            async token =>
            {
                _changedInstallations.Add(oAuthId);
                await using var transaction = await Database.BeginTransactionAsync(token);
                await AccessTokens.Where(t => t.OAuthId == oAuthId).ExecuteDeleteAsync(token);
                await Rooms.Where(r => r.OAuthId == oAuthId).ExecuteDeleteAsync(token);
                await ReceivedWebhooks.Where(w => w.OAuthId == oAuthId).ExecuteDeleteAsync(token);
                await Settings.Where(s => s.OAuthId == oAuthId).ExecuteDeleteAsync(token);
                await Outbox.Where(m => m.OAuthId == oAuthId).ExecuteDeleteAsync(token);
                var removed = await Installations.Where(i => i.OAuthId == oAuthId).ExecuteDeleteAsync(token);
                await transaction.CommitAsync(token);
                return removed > 0;
            },
            cancellationToken);

    public Task<AccessToken?> FindAccessTokenAsync(string oAuthId, string scopes, CancellationToken cancellationToken) =>
        AccessTokens.FirstOrDefaultAsync(t => t.OAuthId == oAuthId && t.Scopes == scopes, cancellationToken);

    public void AddAccessToken(AccessToken token) => AccessTokens.Add(token);

    public Task<RoomActivity?> FindRoomActivityAsync(string oAuthId, long roomId, CancellationToken cancellationToken) =>
        Rooms.FirstOrDefaultAsync(r => r.OAuthId == oAuthId && r.RoomId == roomId, cancellationToken);

    public void AddRoomActivity(RoomActivity activity) => Rooms.Add(activity);

    public Task<InstallationSettings?> FindSettingsAsync(string oAuthId, CancellationToken cancellationToken) =>
        Settings.FirstOrDefaultAsync(s => s.OAuthId == oAuthId, cancellationToken);

    public void AddSettings(InstallationSettings settings) => Settings.Add(settings);

    public Task<bool> WasReceivedAsync(
        string oAuthId, long webhookId, string eventName, string messageId, CancellationToken cancellationToken) =>
        ReceivedWebhooks.AnyAsync(
            w => w.OAuthId == oAuthId && w.WebhookId == webhookId && w.Event == eventName && w.MessageId == messageId,
            cancellationToken);

    public void AddReceivedWebhook(ReceivedWebhook webhook) => ReceivedWebhooks.Add(webhook);

    public Task<int> PurgeReceivedWebhooksAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        WriteAsync(token => ReceivedWebhooks.Where(w => w.ReceivedAt < before).ExecuteDeleteAsync(token), cancellationToken);

    public async Task<bool> CompleteQueuedWebhookAsync(long queueId, CancellationToken cancellationToken)
    {
        var queued = await Outbox.FirstOrDefaultAsync(m => m.Id == queueId, cancellationToken);
        if (queued is null)
        {
            return false;
        }

        Outbox.Remove(queued);
        return true;
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListDeadLettersAsync(
        string? oAuthId, int limit, CancellationToken cancellationToken) =>
        await Outbox.AsNoTracking()
            .Where(m => m.DeadLetteredAt != null && (oAuthId == null || m.OAuthId == oAuthId))
            .OrderByDescending(m => m.DeadLetteredAt).ThenByDescending(m => m.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);

    public Task<OutboxMessage?> FindDeadLetterAsync(long messageId, CancellationToken cancellationToken) =>
        Outbox.FirstOrDefaultAsync(m => m.Id == messageId && m.DeadLetteredAt != null, cancellationToken);

    public Task<int> PurgeDeadLettersAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        WriteAsync(
            token => Outbox.Where(m => m.DeadLetteredAt != null && m.DeadLetteredAt < before).ExecuteDeleteAsync(token),
            cancellationToken);

    public void DiscardChanges() => ChangeTracker.Clear();

    async Task IAddonStore.SaveChangesAsync(CancellationToken cancellationToken)
    {
        var recordsOutbox = ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added);
        try
        {
            await WriteAsync(token => SaveChangesAsync(token), cancellationToken);
        }
        catch (DbUpdateConcurrencyException exception)
        {
            throw new ConcurrentChangeException(exception);
        }
        catch (DbUpdateException exception) when (IsUniqueViolation(exception))
        {
            throw new DuplicateException(exception);
        }

        if (recordsOutbox)
        {
            outboxSignal.Notify();
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        NoteChangedInstallations();
        var saved = base.SaveChanges(acceptAllChangesOnSuccess);
        ForgetChangedInstallationsUnlessInTransaction();
        return saved;
    }

    public override async Task<int> SaveChangesAsync(
        bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        NoteChangedInstallations();
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        ForgetChangedInstallationsUnlessInTransaction();
        return saved;
    }

    /// <summary>
    /// Makes the directory forget the installations this unit of work changed. Called once the change is visible to
    /// other readers: after a save outside any transaction, and by <see cref="InstallationCommitInterceptor"/> after a
    /// transaction's commit (a save's own included). Forgotten earlier, a concurrent read of the old row could be kept.
    /// </summary>
    internal void ForgetChangedInstallations()
    {
        foreach (var oAuthId in _changedInstallations)
        {
            installations.Invalidate(oAuthId);
        }

        _changedInstallations.Clear();
    }

    /// <summary>Runs one write: a commit, or a statement writing outside one. SQLite makes writers take turns.</summary>
    internal virtual Task<T> WriteAsync<T>(
        Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken) => write(cancellationToken);

    protected abstract bool IsUniqueViolation(DbUpdateException exception);

    private void ForgetChangedInstallationsUnlessInTransaction()
    {
        if (Database.CurrentTransaction is null)
        {
            ForgetChangedInstallations();
        }
    }

    private void NoteChangedInstallations()
    {
        foreach (var entry in ChangeTracker.Entries<Installation>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                _changedInstallations.Add(entry.Entity.OAuthId);
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var protect = secrets.Converter;
        modelBuilder.ApplyConfiguration(new InstallationConfiguration(protect));
        modelBuilder.ApplyConfiguration(new AccessTokenConfiguration(protect));
        modelBuilder.ApplyConfiguration(new RoomActivityConfiguration());
        modelBuilder.ApplyConfiguration(new ReceivedWebhookConfiguration());
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new InstallationSettingsConfiguration());
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        SnakeCaseNames.Apply(modelBuilder);
    }
}
