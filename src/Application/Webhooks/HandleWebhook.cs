using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Notifications;
using CleanAddon.Domain.Rooms;
using CleanAddon.Domain.Webhooks;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.Webhooks;

/// <summary>A webhook HipChat delivered to the route of <see cref="ExpectedEvent"/>, authenticated by its JWT.</summary>
public sealed record HandleWebhookCommand(HipChatCaller Caller, string ExpectedEvent, WebhookEvent Webhook) : ICommand;

/// <summary>The parts of a HipChat webhook body the add-on acts on.</summary>
/// <param name="Event">The event name, e.g. <c>room_message</c>.</param>
/// <param name="WebhookId">HipChat's id of the webhook registration.</param>
/// <param name="OAuthClientId">The installation HipChat says registered the webhook, if it says.</param>
/// <param name="RoomId">The room the event happened in.</param>
/// <param name="MessageId">The message id, for message events.</param>
/// <param name="MessageText">The message text, for message events.</param>
/// <param name="SenderId">The user who caused the event, when a user did.</param>
public sealed record WebhookEvent(
    string Event,
    long WebhookId,
    string? OAuthClientId,
    long RoomId,
    string? MessageId,
    string? MessageText,
    string? SenderId);

public sealed class HandleWebhookValidator : AbstractValidator<HandleWebhookCommand>
{
    public HandleWebhookValidator()
    {
        RuleFor(c => c.Webhook.Event).NotEmpty().MaximumLength(ReceivedWebhook.EventMaxLength)
            .Equal(c => c.ExpectedEvent).WithMessage("'Event' must be the event this webhook was declared for.");
        RuleFor(c => c.Webhook.RoomId).GreaterThan(0);
        RuleFor(c => c.Webhook.MessageId).MaximumLength(ReceivedWebhook.MessageIdMaxLength);
        RuleFor(c => c.Webhook.MessageText).NotNull().When(c => c.Webhook.Event == WebhookEvents.RoomMessage);
    }
}

public sealed class HandleWebhookHandler(IAddonStore store, IHipChatOutbox outbox, TimeProvider clock)
    : ICommandHandler<HandleWebhookCommand>
{
    public const string GlanceKey = "sample-glance";

    public async ValueTask<Unit> Handle(HandleWebhookCommand command, CancellationToken cancellationToken)
    {
        var (caller, _, webhook) = command;
        var installation = await store.FindInstallationAsync(caller.OAuthId, cancellationToken)
            ?? throw new AccessDeniedException("The installation is gone.");
        EnsureConsistent(caller, webhook, installation.Covers(webhook.RoomId));

        if (webhook.MessageId is not null)
        {
            if (await store.WasReceivedAsync(
                caller.OAuthId, webhook.WebhookId, webhook.Event, webhook.MessageId, cancellationToken))
            {
                return Unit.Value;
            }

            store.AddReceivedWebhook(ReceivedWebhook.Record(
                caller.OAuthId, webhook.WebhookId, webhook.Event, webhook.MessageId, clock.GetUtcNow()));
        }

        if (webhook.Event == WebhookEvents.RoomMessage)
        {
            await EchoAsync(caller.OAuthId, webhook, cancellationToken);
        }

        try
        {
            await store.SaveChangesAsync(cancellationToken);
        }
        catch (DuplicateException) when (webhook.MessageId is not null)
        {
            // The same delivery is being handled concurrently; that one wins and this one is acknowledged.
        }

        return Unit.Value;
    }

    private static void EnsureConsistent(HipChatCaller caller, WebhookEvent webhook, bool installationCoversRoom)
    {
        if (!installationCoversRoom || (caller.RoomId is { } tokenRoom && tokenRoom != webhook.RoomId))
        {
            throw new AccessDeniedException("The webhook's room is not the room of its JWT's installation.");
        }

        if (webhook.OAuthClientId is not null && webhook.OAuthClientId != caller.OAuthId)
        {
            throw new AccessDeniedException("The webhook names another installation than its JWT.");
        }

        if (caller.UserId is not null && webhook.SenderId is not null && caller.UserId != webhook.SenderId)
        {
            throw new AccessDeniedException("The webhook's sender is not the user of its JWT.");
        }
    }

    private async Task EchoAsync(string oAuthId, WebhookEvent webhook, CancellationToken cancellationToken)
    {
        var room = await store.FindRoomActivityAsync(oAuthId, webhook.RoomId, cancellationToken);
        if (room is null)
        {
            room = RoomActivity.Start(oAuthId, webhook.RoomId);
            store.AddRoomActivity(room);
        }

        var echoes = room.RecordEcho();
        outbox.SendRoomNotification(
            oAuthId, webhook.RoomId, new RoomNotification(RoomNotification.Fit($"echo {webhook.MessageText}")));
        outbox.UpdateRoomGlance(oAuthId, webhook.RoomId, GlanceKey, GetGlanceHandler.Describe(echoes));
    }
}

public static class WebhookEvents
{
    public const string RoomMessage = "room_message";
}

