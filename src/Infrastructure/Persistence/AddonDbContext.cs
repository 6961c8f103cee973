using System.Reflection;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Queues;
using CleanAddon.Domain.Webhooks;
using CleanAddon.Application.DeadLetters;
using CleanAddon.Infrastructure.Queues;
using CleanAddon.Infrastructure.Persistence.Configurations;
using CleanAddon.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// The one DbContext: the framework's tables and every module's state, so that one transaction covers them all. Each
/// provider derives a thin context of its own because EF Core migrations are provider-specific, and each migration
/// set (the framework's, each module's) sees only its own entities (see <see cref="MigrationSets"/>).
/// </summary>
internal abstract class AddonDbContext(
    DbContextOptions options, SecretProtector secrets, QueueSignals signals, AddonModules modules,
    InstallationDirectory installations)
    : DbContext(options), IAddonStore, IAddonDbContext, IDataProtectionKeyContext
{
    // Installations changed in this unit of work; the directory forgets them once the change has committed.
    private readonly HashSet<string> _changedInstallations = new(StringComparer.Ordinal);

    private readonly List<Func<CancellationToken, Task>> _beforeSave = [];
    private readonly List<Action> _afterCommit = [];
    private bool _savesDeferred;

    private static readonly MethodInfo DeleteOwnedMethod =
        typeof(AddonDbContext).GetMethod(nameof(DeleteOwnedAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private static readonly MethodInfo ApplyConfigurationMethod = typeof(ModelBuilder).GetMethods()
        .Single(m => m.Name == nameof(ModelBuilder.ApplyConfiguration)
            && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>));

    public DbSet<Installation> Installations => Set<Installation>();

    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    public DbSet<ReceivedWebhook> ReceivedWebhooks => Set<ReceivedWebhook>();

    public DbSet<WebhookJob> WebhookJobs => Set<WebhookJob>();

    public DbSet<HipChatCall> HipChatCalls => Set<HipChatCall>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Keys the cached EF model by protector: each host protects secrets with its own key ring.</summary>
    public SecretProtector Secrets => secrets;

    /// <summary>Keys the cached EF model by the modules whose state it holds: each host declares its own.</summary>
    public AddonModules Modules => modules;

    /// <summary>The migration set this context models (design time and migrations), or null for all of them.</summary>
    public string? MigrationSet { get; } = MigrationSets.SetOf(options);

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
                await ReceivedWebhooks.Where(w => w.OAuthId == oAuthId).ExecuteDeleteAsync(token);

                // First the jobs: a worker saving its handlers' work holds their rows until that commits, so this waits
                // for it and the rows its handlers wrote are deleted below; a worker saving later finds its jobs gone
                // and drops its work.
                await WebhookJobs.Where(j => j.OAuthId == oAuthId).ExecuteDeleteAsync(token);
                foreach (var owned in modules.States.Where(s => s.EntityType.IsAssignableTo(typeof(IInstallationOwned))))
                {
                    await (Task)DeleteOwnedMethod.MakeGenericMethod(owned.EntityType).Invoke(this, [oAuthId, token])!;
                }

                await HipChatCalls.Where(c => c.OAuthId == oAuthId).ExecuteDeleteAsync(token);
                var removed = await Installations.Where(i => i.OAuthId == oAuthId).ExecuteDeleteAsync(token);
                await transaction.CommitAsync(token);
                return removed > 0;
            },
            cancellationToken);

    public Task<AccessToken?> FindAccessTokenAsync(string oAuthId, string scopes, CancellationToken cancellationToken) =>
        AccessTokens.FirstOrDefaultAsync(t => t.OAuthId == oAuthId && t.Scopes == scopes, cancellationToken);

    public void AddAccessToken(AccessToken token) => AccessTokens.Add(token);

    DbSet<TEntity> IAddonDbContext.Set<TEntity>() => modules.IsState(typeof(TEntity))
        ? Set<TEntity>()
        : throw new InvalidOperationException(
            $"{typeof(TEntity).Name} is not a module's state: declare it with addon.State<{typeof(TEntity).Name}, …>().");

    public Task<bool> WasReceivedAsync(
        string oAuthId, long webhookId, string eventName, string messageId, CancellationToken cancellationToken) =>
        ReceivedWebhooks.AnyAsync(
            w => w.OAuthId == oAuthId && w.WebhookId == webhookId && w.Event == eventName && w.MessageId == messageId,
            cancellationToken);

    public void AddReceivedWebhook(ReceivedWebhook webhook) => ReceivedWebhooks.Add(webhook);

    public Task<int> PurgeReceivedWebhooksAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        WriteAsync(token => ReceivedWebhooks.Where(w => w.ReceivedAt < before).ExecuteDeleteAsync(token), cancellationToken);

    public async Task<IReadOnlyList<QueuedItem>> ListDeadLettersAsync(
        string? oAuthId, int limit, CancellationToken cancellationToken)
    {
        var webhooks = await DeadLetters(WebhookJobs, oAuthId).Take(limit).ToListAsync(cancellationToken);
        var calls = await DeadLetters(HipChatCalls, oAuthId).Take(limit).ToListAsync(cancellationToken);
        return [.. webhooks.Concat<QueuedItem>(calls).OrderByDescending(i => i.DeadLetteredAt).Take(limit)];
    }

    public async Task<QueuedItem?> FindDeadLetterAsync(DeadLetterKind queue, long id, CancellationToken cancellationToken) =>
        queue == DeadLetterKind.Webhook
            ? await WebhookJobs.FirstOrDefaultAsync(j => j.Id == id && j.DeadLetteredAt != null, cancellationToken)
            : await HipChatCalls.FirstOrDefaultAsync(c => c.Id == id && c.DeadLetteredAt != null, cancellationToken);

    public Task<int> PurgeDeadLettersAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        WriteAsync(
            async token =>
                await WebhookJobs.Where(j => j.DeadLetteredAt != null && j.DeadLetteredAt < before).ExecuteDeleteAsync(token)
                + await HipChatCalls.Where(c => c.DeadLetteredAt != null && c.DeadLetteredAt < before).ExecuteDeleteAsync(token),
            cancellationToken);

    public Task<int> AbandonWaitingAsync(
        string oAuthId, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            async token =>
                await Abandon(WebhookJobs, oAuthId, reason, now, token) + await Abandon(HipChatCalls, oAuthId, reason, now, token),
            cancellationToken);

    public void DiscardChanges()
    {
        ChangeTracker.Clear();
        _beforeSave.Clear();
        _afterCommit.Clear();
    }

    /// <summary>
    /// A write the next save runs first, in its transaction: what infrastructure adds to a use case's unit of work
    /// (a worker taking the handled webhooks off the queue) commits with it or not at all.
    /// </summary>
    internal void BeforeSave(Func<CancellationToken, Task> write) => _beforeSave.Add(write);

    /// <summary>
    /// Until <see cref="SaveDeferredAsync"/>, a use case's save keeps its changes tracked instead of writing them: a
    /// worker runs one use case per webhook, each in its webhook's own trace, and commits them all as one.
    /// </summary>
    internal void DeferSaves() => _savesDeferred = true;

    internal Task SaveDeferredAsync(CancellationToken cancellationToken)
    {
        _savesDeferred = false;
        return ((IAddonStore)this).SaveChangesAsync(cancellationToken);
    }

    /// <summary>Something to do once the next save has committed (never if it fails): e.g. tell a cache.</summary>
    internal void AfterCommit(Action committed) => _afterCommit.Add(committed);

    async Task IAddonStore.SaveChangesAsync(CancellationToken cancellationToken)
    {
        if (_savesDeferred)
        {
            return;
        }

        var callsQueued = ChangeTracker.Entries<HipChatCall>().Any(e => e.State == EntityState.Added);
        try
        {
            await WriteAsync(SaveWithEarlierWritesAsync, cancellationToken);
        }
        catch (DbUpdateConcurrencyException exception)
        {
            throw new ConcurrentChangeException(exception);
        }
        catch (DbUpdateException exception) when (IsUniqueViolation(exception))
        {
            throw new DuplicateException(exception);
        }

        if (callsQueued)
        {
            signals.HipChatCalls.Notify();
        }

        foreach (var committed in _afterCommit)
        {
            committed();
        }

        _afterCommit.Clear();
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

    private async Task<int> SaveWithEarlierWritesAsync(CancellationToken cancellationToken)
    {
        if (_beforeSave.Count == 0)
        {
            return await SaveChangesAsync(cancellationToken);
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        foreach (var write in _beforeSave)
        {
            await write(cancellationToken);
        }

        _beforeSave.Clear();
        var saved = await SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>Runs one write: a commit, or a statement writing outside one. SQLite makes writers take turns.</summary>
    internal virtual Task<T> WriteAsync<T>(
        Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken) => write(cancellationToken);

    /// <summary>
    /// Runs one write whose loss in a power failure costs nothing: a lease taken or given back (lost, its items are
    /// free again, at worst before a pause HipChat asked for has ended). Visible to every reader once committed, like
    /// any write; only its disk flush may wait for the next durable commit.
    /// </summary>
    internal virtual Task<T> WriteLeaseAsync<T>(
        Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken) => WriteAsync(write, cancellationToken);

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
        if (MigrationSet is null or AddonModules.FrameworkSet)
        {
            var protect = secrets.Converter;
            modelBuilder.ApplyConfiguration(new InstallationConfiguration(protect));
            modelBuilder.ApplyConfiguration(new AccessTokenConfiguration(protect));
            modelBuilder.ApplyConfiguration(new ReceivedWebhookConfiguration());
            modelBuilder.ApplyConfiguration(new WebhookJobConfiguration());
            modelBuilder.ApplyConfiguration(new HipChatCallConfiguration());
            modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        }
        else
        {
            // A module's migrations model its own entities only; the context's sets would bring the framework's in.
            modelBuilder.Ignore<Installation>().Ignore<AccessToken>().Ignore<ReceivedWebhook>().Ignore<WebhookJob>().Ignore<HipChatCall>()
                .Ignore<DataProtectionKey>();
        }

        foreach (var state in modules.States.Where(s => MigrationSet is null || s.Module == MigrationSet))
        {
            ApplyConfigurationMethod.MakeGenericMethod(state.EntityType).Invoke(modelBuilder, [state.Configuration]);
            modelBuilder.Entity(state.EntityType).ToTable(SnakeCaseNames.ModuleTable(state.Module, state.EntityType));
        }

        SnakeCaseNames.Apply(modelBuilder);
    }

    private static IQueryable<T> DeadLetters<T>(DbSet<T> queue, string? oAuthId)
        where T : QueuedItem =>
        queue.AsNoTracking()
            .Where(i => i.DeadLetteredAt != null && (oAuthId == null || i.OAuthId == oAuthId))
            .OrderByDescending(i => i.DeadLetteredAt).ThenByDescending(i => i.Id);

    /// <summary>Items nobody holds (or whose holder's lease ran out) are dead-lettered unsent; held ones, by their worker.</summary>
    private static Task<int> Abandon<T>(
        DbSet<T> queue, string oAuthId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
        where T : QueuedItem =>
        queue.Where(i => i.OAuthId == oAuthId && i.DeadLetteredAt == null && (i.LeaseExpiresAt == null || i.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(
                item => item.SetProperty(i => i.DeadLetteredAt, now).SetProperty(i => i.LastError, reason),
                cancellationToken);

    private Task<int> DeleteOwnedAsync<TEntity>(string oAuthId, CancellationToken cancellationToken)
        where TEntity : class, IInstallationOwned =>
        Set<TEntity>().Where(row => row.OAuthId == oAuthId).ExecuteDeleteAsync(cancellationToken);
}
