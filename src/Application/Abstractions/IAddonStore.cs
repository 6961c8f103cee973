using CleanAddon.Domain.Installations;
using CleanAddon.Application.DeadLetters;
using CleanAddon.Domain.Queues;
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

    /// <summary>Dead letters of both queues, most recent first, of one installation or of all when null.</summary>
    Task<IReadOnlyList<QueuedItem>> ListDeadLettersAsync(string? oAuthId, int limit, CancellationToken cancellationToken);

    /// <summary>The dead letter with this id in that queue, to change in this unit of work; null when there is none.</summary>
    Task<QueuedItem?> FindDeadLetterAsync(DeadLetterKind queue, long id, CancellationToken cancellationToken);

    /// <summary>Deletes the items of both queues dead-lettered before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeDeadLettersAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>
    /// Dead-letters, unsent, every item of the installation still waiting in either queue that no worker holds
    /// (a held one is given up by its worker when it finds the installation revoked); returns how many.
    /// </summary>
    Task<int> AbandonWaitingAsync(string oAuthId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets every change not yet saved, e.g. to redo a unit of work that lost a race.</summary>
    void DiscardChanges();

    /// <summary>
    /// Commits the unit of work; throws <see cref="DuplicateException"/> when a unique key was taken meanwhile, and
    /// <see cref="ConcurrentChangeException"/> when a row it changes was changed or deleted meanwhile.
    /// </summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
