using CleanAddon.Application.Abstractions;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.Outbox;

/// <summary>An operator sends a dead letter again (see <see cref="GetDeadLettersQuery"/>); false when there is none with that id.</summary>
public sealed record RetryDeadLetterCommand(long MessageId) : ICommand<bool>;

public sealed class RetryDeadLetterValidator : AbstractValidator<RetryDeadLetterCommand>
{
    public RetryDeadLetterValidator() => RuleFor(c => c.MessageId).GreaterThan(0);
}

public sealed class RetryDeadLetterHandler(IAddonStore store, TimeProvider clock) : ICommandHandler<RetryDeadLetterCommand, bool>
{
    public async ValueTask<bool> Handle(RetryDeadLetterCommand command, CancellationToken cancellationToken)
    {
        var message = await store.FindDeadLetterAsync(command.MessageId, cancellationToken);
        if (message is null)
        {
            return false;
        }

        message.Revive(clock.GetUtcNow());
        await store.SaveChangesAsync(cancellationToken);
        return true;
    }
}
