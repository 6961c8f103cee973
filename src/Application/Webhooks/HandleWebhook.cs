using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using Mediator;

namespace CleanAddon.Application.Webhooks;

/// <summary>
/// Runs the handlers of accepted webhooks taken from the queue, in order. What they change and the calls they queue
/// are saved together, in the unit of work that also takes the webhooks off the queue: all of it commits, or none.
/// </summary>
public sealed record HandleWebhookCommand(IReadOnlyList<QueuedWebhook> Webhooks) : ICommand;

public sealed class HandleWebhookHandler(
    AddonModules modules, IAddonStore store, IHipChatOutbox outbox, IServiceProvider services)
    : ICommandHandler<HandleWebhookCommand>
{
    public async ValueTask<Unit> Handle(HandleWebhookCommand command, CancellationToken cancellationToken)
    {
        foreach (var queued in command.Webhooks)
        {
            // A webhook queued before a deployment that removed its declaration fails until it is dead-lettered.
            var declaration = modules.Webhook(queued.Key)
                ?? throw new InvalidOperationException($"No webhook is declared as '{queued.Key}' any more.");
            var webhook = WebhookJson.Read(queued.EventJson, declaration.EventType);
            var caller = new HipChatCaller(queued.OAuthId, queued.UserId, queued.RoomId);
            var room = new RoomClient(outbox, queued.OAuthId, queued.RoomId);
            await declaration.Invoke(
                services, webhook, new WebhookContext(caller, queued.Key, queued.RoomId, room, services), cancellationToken);
        }

        await store.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
