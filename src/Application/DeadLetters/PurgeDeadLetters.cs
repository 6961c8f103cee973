using CleanAddon.Application.Abstractions;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.DeadLetters;

/// <summary>
/// Deletes the messages dead-lettered longer than <see cref="OlderThan"/> ago; answers how many. Run by operators and,
/// with the configured retention, periodically by the add-on itself.
/// </summary>
public sealed record PurgeDeadLettersCommand(TimeSpan OlderThan) : ICommand<int>;

public sealed class PurgeDeadLettersValidator : AbstractValidator<PurgeDeadLettersCommand>
{
    public PurgeDeadLettersValidator() => RuleFor(c => c.OlderThan).GreaterThanOrEqualTo(TimeSpan.Zero);
}

public sealed class PurgeDeadLettersHandler(IAddonStore store, TimeProvider clock) : ICommandHandler<PurgeDeadLettersCommand, int>
{
    public async ValueTask<int> Handle(PurgeDeadLettersCommand command, CancellationToken cancellationToken) =>
        await store.PurgeDeadLettersAsync(clock.GetUtcNow() - command.OlderThan, cancellationToken);
}
