using CleanAddon.Application.Abstractions;
using CleanAddon.Domain.Webhooks;
using Mediator;

namespace CleanAddon.Application.Webhooks;

/// <summary>
/// Forgets deliveries older than <see cref="ReceivedWebhook.Retention"/>: de-duplication is promised for that long,
/// and every accepted webhook leaves a record. Answers how many were forgotten; run periodically by the add-on.
/// </summary>
public sealed record PurgeReceivedWebhooksCommand : ICommand<int>;

public sealed class PurgeReceivedWebhooksHandler(IAddonStore store, TimeProvider clock)
    : ICommandHandler<PurgeReceivedWebhooksCommand, int>
{
    public async ValueTask<int> Handle(PurgeReceivedWebhooksCommand command, CancellationToken cancellationToken) =>
        await store.PurgeReceivedWebhooksAsync(clock.GetUtcNow() - ReceivedWebhook.Retention, cancellationToken);
}
