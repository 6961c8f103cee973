using CleanAddon.Application.Abstractions;
using CleanAddon.Domain.Installations;
using CleanAddon.Domain.Queues;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.DeadLetters;

/// <summary>What the add-on gave up on, most recent first, for operators: webhooks and calls to HipChat alike.</summary>
public sealed record GetDeadLettersQuery(string? OAuthId = null, int Limit = 100) : IQuery<IReadOnlyList<DeadLetter>>;

/// <summary>The two queues an item can be given up in.</summary>
public enum DeadLetterKind
{
    /// <summary>An accepted webhook whose handler kept failing (or that came over its installation's cap).</summary>
    Webhook,

    /// <summary>A call HipChat refused, or that kept failing.</summary>
    Call,
}

/// <summary>One item the add-on gave up on.</summary>
/// <param name="Queue">Which queue it was given up in; with <paramref name="Id"/>, what names it (<c>webhook:42</c>).</param>
/// <param name="Id">Its id in that queue.</param>
/// <param name="OAuthId">The installation it was for.</param>
/// <param name="RoomId">Its room.</param>
/// <param name="What">The webhook's key, or the kind of call (e.g. <c>RoomNotification</c>).</param>
/// <param name="Attempts">How many times it was tried.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="DeadLetteredAt">When the add-on gave up.</param>
public sealed record DeadLetter(
    DeadLetterKind Queue, long Id, string OAuthId, long RoomId, string What, int Attempts, string? LastError,
    DateTimeOffset DeadLetteredAt)
{
    /// <summary>How operators name it, e.g. <c>call:17</c>.</summary>
    public string Name => $"{Queue.ToString().ToLowerInvariant()}:{Id}";

    public static DeadLetter Of(QueuedItem item) => item switch
    {
        WebhookJob job => new(DeadLetterKind.Webhook, job.Id, job.OAuthId, job.RoomId, job.WebhookKey, job.Attempts,
            job.LastError, job.DeadLetteredAt!.Value),
        HipChatCall call => new(DeadLetterKind.Call, call.Id, call.OAuthId, call.RoomId, call.Kind.ToString(), call.Attempts,
            call.LastError, call.DeadLetteredAt!.Value),
        _ => throw new ArgumentException($"Unknown queued item {item.GetType().Name}.", nameof(item)),
    };
}

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
    public async ValueTask<IReadOnlyList<DeadLetter>> Handle(GetDeadLettersQuery query, CancellationToken cancellationToken) =>
        [.. (await store.ListDeadLettersAsync(query.OAuthId, query.Limit, cancellationToken)).Select(DeadLetter.Of)];
}
