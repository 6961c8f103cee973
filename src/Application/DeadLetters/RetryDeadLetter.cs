using CleanAddon.Application.Abstractions;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.DeadLetters;

/// <summary>An operator sends a dead letter again (see <see cref="GetDeadLettersQuery"/>); false when there is none with that id.</summary>
public sealed record RetryDeadLetterCommand(DeadLetterKind Queue, long Id) : ICommand<bool>;

public sealed class RetryDeadLetterValidator : AbstractValidator<RetryDeadLetterCommand>
{
    public RetryDeadLetterValidator() => RuleFor(c => c.Id).GreaterThan(0);
}

public sealed class RetryDeadLetterHandler(IAddonStore store, TimeProvider clock) : ICommandHandler<RetryDeadLetterCommand, bool>
{
    public async ValueTask<bool> Handle(RetryDeadLetterCommand command, CancellationToken cancellationToken)
    {
        var item = await store.FindDeadLetterAsync(command.Queue, command.Id, cancellationToken);
        if (item is null)
        {
            return false;
        }

        item.Revive(clock.GetUtcNow());
        await store.SaveChangesAsync(cancellationToken);
        return true;
    }
}
