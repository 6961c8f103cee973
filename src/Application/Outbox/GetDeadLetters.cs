using CleanAddon.Application.Abstractions;
using CleanAddon.Domain.Installations;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.Outbox;

/// <summary>The calls to HipChat the add-on gave up on, most recent first, for operators.</summary>
public sealed record GetDeadLettersQuery(string? OAuthId = null, int Limit = 100) : IQuery<IReadOnlyList<DeadLetter>>;

/// <summary>One message the outbox gave up on.</summary>
/// <param name="MessageId">The outbox message id.</param>
/// <param name="OAuthId">The installation it was sent for.</param>
/// <param name="RoomId">The room it was sent to.</param>
/// <param name="Kind">What kind of call it was, e.g. <c>room-notification</c>.</param>
/// <param name="Attempts">How many times it was tried.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="DeadLetteredAt">When the outbox gave up.</param>
public sealed record DeadLetter(
    long MessageId, string OAuthId, long RoomId, string Kind, int Attempts, string? LastError, DateTimeOffset DeadLetteredAt);

public sealed class GetDeadLettersValidator : AbstractValidator<GetDeadLettersQuery>
{
    public const int MaxLimit = 1000;

    public GetDeadLettersValidator()
    {
        RuleFor(q => q.OAuthId).NotEmpty().MaximumLength(Installation.OAuthIdMaxLength).When(q => q.OAuthId is not null);
        RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit);
    }
}

public sealed class GetDeadLettersHandler(IAddonStore store) : IQueryHandler<GetDeadLettersQuery, IReadOnlyList<DeadLetter>>
{
    public async ValueTask<IReadOnlyList<DeadLetter>> Handle(GetDeadLettersQuery query, CancellationToken cancellationToken)
    {
        var messages = await store.ListDeadLettersAsync(query.OAuthId, query.Limit, cancellationToken);
        return [.. messages.Select(m => new DeadLetter(
            m.Id, m.OAuthId, m.RoomId, m.Kind, m.Attempts, m.LastError, m.DeadLetteredAt!.Value))];
    }
}
