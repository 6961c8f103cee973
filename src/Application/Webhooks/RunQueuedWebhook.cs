using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using Mediator;

namespace CleanAddon.Application.Webhooks;

/// <summary>Runs the handler of a queued webhook; its changes and the webhook leaving the queue commit together.</summary>
public sealed record RunQueuedWebhookCommand(long QueueId, QueuedWebhook Webhook) : ICommand;

public sealed class RunQueuedWebhookHandler(AddonModules modules, IAddonStore store, IServiceProvider services)
    : ICommandHandler<RunQueuedWebhookCommand>
{
    public async ValueTask<Unit> Handle(RunQueuedWebhookCommand command, CancellationToken cancellationToken)
    {
        var queued = command.Webhook;
        var declaration = modules.Webhook(queued.Key)
            ?? throw new InvalidOperationException($"No webhook is declared as '{queued.Key}' any more.");
        if (!await store.CompleteQueuedWebhookAsync(command.QueueId, cancellationToken))
        {
            return Unit.Value;
        }

        var webhook = WebhookJson.Read(queued.EventJson, declaration.EventType);
        await declaration.Invoke(services, webhook, new WebhookContext(queued.Caller, queued.Key, queued.RoomId), cancellationToken);
        await store.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
