using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Outbox;
using CleanAddon.Domain.Webhooks;

namespace CleanAddon.Application.Abstractions;

/// <summary>
/// The framework's data, as its use cases need it (modules keep theirs through <see cref="IAddonDbContext"/>; see
/// docs/adr/0001-data-access.md). One instance is one unit of work: everything added or changed through it or through
/// <see cref="IAddonDbContext"/>, outbox messages included, commits together in <see cref="SaveChangesAsync"/>.
/// </summary>
public interface IAddonStore
{
    Task<Installation?> FindInstallationAsync(string oAuthId, CancellationToken cancellationToken);

    void AddInstallation(Installation installation);

    /// <summary>
    /// Deletes the installation with its tokens, undelivered messages and every module's rows it owns
    /// (<see cref="Extensibility.IInstallationOwned"/>); false when absent.
    /// </summary>
    Task<bool> RemoveInstallationAsync(string oAuthId, CancellationToken cancellationToken);

    Task<AccessToken?> FindAccessTokenAsync(string oAuthId, string scopes, CancellationToken cancellationToken);

    void AddAccessToken(AccessToken token);

    Task<bool> WasReceivedAsync(
        string oAuthId, long webhookId, string eventName, string messageId, CancellationToken cancellationToken);

    void AddReceivedWebhook(ReceivedWebhook webhook);

    /// <summary>Forgets the deliveries received before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeReceivedWebhooksAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a queued webhook as handled in this unit of work: it disappears when the handler's changes commit, and
    /// not otherwise. False when it is gone already (another instance handled it).
    /// </summary>
    Task<bool> CompleteQueuedWebhookAsync(long queueId, CancellationToken cancellationToken);

    /// <summary>Dead-lettered outbox messages, most recent first, of one installation or of all when null.</summary>
    Task<IReadOnlyList<OutboxMessage>> ListDeadLettersAsync(string? oAuthId, int limit, CancellationToken cancellationToken);

    /// <summary>The dead-lettered outbox message with this id, to change in this unit of work; null when there is none.</summary>
    Task<OutboxMessage?> FindDeadLetterAsync(long messageId, CancellationToken cancellationToken);

    /// <summary>Deletes the messages dead-lettered before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeDeadLettersAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Forgets every change not yet saved, e.g. to redo a unit of work that lost a race.</summary>
    void DiscardChanges();

    /// <summary>
    /// Commits the unit of work; throws <see cref="DuplicateException"/> when a unique key was taken meanwhile, and
    /// <see cref="ConcurrentChangeException"/> when a row it changes was changed or deleted meanwhile.
    /// </summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
