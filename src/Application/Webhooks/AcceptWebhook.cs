using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Behaviors;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Notifications;
using CleanAddon.Domain.Webhooks;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application.Webhooks;

/// <summary>
/// A webhook HipChat delivered to a declared webhook's URL, authenticated by its JWT. It is checked against the
/// JWT, de-duplicated and queued for its handler (or handled at once by an immediate handler). <see cref="Webhook"/>
/// is the body as <see cref="WebhookJson"/> read it, once: the handler gets this very event.
/// </summary>
public sealed record AcceptWebhookCommand(HipChatCaller Caller, WebhookDeclaration Declaration, WebhookEvent Webhook)
    : ICommand<WebhookReply>, IInstallationMessage
{
    public long? RoomId => Webhook.RoomId;
}

/// <summary>What HipChat gets back: nothing (204), or a notification it posts to the room itself.</summary>
public sealed record WebhookReply(RoomNotification? Notification)
{
    public static WebhookReply None { get; } = new((RoomNotification?)null);
}

public sealed class AcceptWebhookValidator : AbstractValidator<AcceptWebhookCommand>
{
    public AcceptWebhookValidator()
    {
        RuleFor(c => c.Webhook.Event).NotEmpty()
            .Must((command, eventName) => command.Declaration.Event == eventName)
            .WithMessage("'Event' must be the event this webhook was declared for.");
        RuleFor(c => c.Webhook.RoomId).GreaterThan(0).WithName("Room Id");
        RuleFor(c => c.Webhook.MessageId).MaximumLength(ReceivedWebhook.MessageIdMaxLength).WithName("Message Id");

        // Otherwise leaving the sender out would skip the check that it is the JWT's user.
        RuleFor(c => c.Webhook.Sender).NotNull().When(c => c.Webhook.CarriesSender).WithName("Sender")
            .WithMessage("'Sender' must be named for this event.");
    }
}

/// <remarks>
/// The store and the outbox are asked for only by the (rare) immediate handlers: a queued webhook is one insert into
/// the intake's next group commit, and building a unit of work for it would cost more than the whole accept.
/// </remarks>
public sealed class AcceptWebhookHandler(IWebhookIntake intake, IServiceProvider services, TimeProvider clock)
    : ICommandHandler<AcceptWebhookCommand, WebhookReply>
{
    public async ValueTask<WebhookReply> Handle(AcceptWebhookCommand command, CancellationToken cancellationToken)
    {
        var (caller, declaration, webhook) = command;
        EnsureConsistent(caller, webhook);
        if (!declaration.Matches(webhook))
        {
            return WebhookReply.None;
        }

        if (!declaration.Immediate)
        {
            // The intake's own insert finds a redelivery: nothing is read first.
            await intake.AcceptAsync(
                new AcceptedWebhook(
                    caller, declaration.Key, webhook.RoomId, webhook.WebhookId, webhook.Event, webhook.MessageId,
                    WebhookJson.Write(webhook)),
                cancellationToken);
            return WebhookReply.None;
        }

        var store = services.GetRequiredService<IAddonStore>();
        if (!await IsFirstDeliveryAsync(store, caller, webhook, cancellationToken))
        {
            return WebhookReply.None;
        }

        var room = new RoomClient(services.GetRequiredService<IHipChatOutbox>(), caller.OAuthId, webhook.RoomId);
        var context = new WebhookContext(caller, declaration.Key, webhook.RoomId, room, services);
        var reply = new WebhookReply(await declaration.Invoke(services, webhook, context, cancellationToken));
        try
        {
            await store.SaveChangesAsync(cancellationToken);
        }
        catch (DuplicateException) when (webhook.MessageId is not null)
        {
            // The same delivery is being accepted concurrently; that one is handled and this one only acknowledged.
            return WebhookReply.None;
        }

        return reply;
    }

    /// <summary>The installation covers the room (checked before the handler); the JWT and the payload must agree too.</summary>
    private static void EnsureConsistent(HipChatCaller caller, WebhookEvent webhook)
    {
        if (caller.RoomId is { } tokenRoom && tokenRoom != webhook.RoomId)
        {
            throw new AccessDeniedException("The webhook's room is not the room of its JWT's installation.");
        }

        if (webhook.OAuthClientId is not null && webhook.OAuthClientId != caller.OAuthId)
        {
            throw new AccessDeniedException("The webhook names another installation than its JWT.");
        }

        // A sender named only by name (an integration) is not the JWT's user either.
        if (caller.UserId is not null && webhook.Sender is not null && webhook.SenderId != caller.UserId)
        {
            throw new AccessDeniedException("The webhook's sender is not the user of its JWT.");
        }
    }

    private async Task<bool> IsFirstDeliveryAsync(
        IAddonStore store, HipChatCaller caller, WebhookEvent webhook, CancellationToken cancellationToken)
    {
        if (webhook.MessageId is not { } messageId)
        {
            return true;
        }

        if (await store.WasReceivedAsync(caller.OAuthId, webhook.WebhookId, webhook.Event, messageId, cancellationToken))
        {
            return false;
        }

        store.AddReceivedWebhook(ReceivedWebhook.Record(
            caller.OAuthId, webhook.WebhookId, webhook.Event, messageId, clock.GetUtcNow()));
        return true;
    }
}
