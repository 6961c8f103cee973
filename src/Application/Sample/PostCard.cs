using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Behaviors;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Notifications;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.Sample;

/// <summary>The tutorial's <c>/post-card</c>: the sidebar (or dialog) asks for a card in the caller's room.</summary>
public sealed record PostCardCommand(HipChatCaller Caller, string? CardDescription) : ICommand, IInstallationMessage
{
    public long? RoomId => Caller.RoomId;
}

public sealed class PostCardValidator : AbstractValidator<PostCardCommand>
{
    public PostCardValidator()
    {
        RuleFor(c => c.CardDescription).NotEmpty().MaximumLength(CardDescription.ValueMaxLength);
        RuleFor(c => c.Caller.RoomId).NotNull().WithName("Room").WithMessage("The JWT names no room to post the card in.");
    }
}

public sealed class PostCardHandler(IAddonStore store, IHipChatOutbox outbox) : ICommandHandler<PostCardCommand>
{
    public const string CardTitle = "From the Clean Add-on sidebar";

    public async ValueTask<Unit> Handle(PostCardCommand command, CancellationToken cancellationToken)
    {
        var (caller, description) = command;
        var card = new CardBuilder(CardStyle.Application, CardTitle)
            .WithDescription(description!)
            .WithFormat(CardFormat.Medium)
            .Build();
        new RoomClient(outbox, caller.OAuthId, caller.RoomId!.Value).SendCard(card, description!);
        await store.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
