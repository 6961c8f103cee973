using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using Mediator;

namespace CleanAddon.Application.Webhooks;

/// <summary>
/// Runs the handler of an accepted webhook from the queue; its changes, the calls it queued and the webhook leaving
/// the queue commit together.
/// </summary>
public sealed record HandleWebhookCommand(long QueueId, QueuedWebhook Webhook) : ICommand;

public sealed class HandleWebhookHandler(
    AddonModules modules, IAddonStore store, IHipChatOutbox outbox, IServiceProvider services)
    : ICommandHandler<HandleWebhookCommand>
{
    public async ValueTask<Unit> Handle(HandleWebhookCommand command, CancellationToken cancellationToken)
    {
        var queued = command.Webhook;

        // A webhook queued before a deployment that removed its declaration fails until it is dead-lettered.
        var declaration = modules.Webhook(queued.Key)
            ?? throw new InvalidOperationException($"No webhook is declared as '{queued.Key}' any more.");
        if (!await store.CompleteQueuedWebhookAsync(command.QueueId, cancellationToken))
        {
            return Unit.Value;
        }

        var webhook = WebhookJson.Read(queued.EventJson, declaration.EventType);
        var room = new RoomClient(outbox, queued.Caller.OAuthId, queued.RoomId);
        await declaration.Invoke(
            services, webhook, new WebhookContext(queued.Caller, queued.Key, queued.RoomId, room, services), cancellationToken);
        await store.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
