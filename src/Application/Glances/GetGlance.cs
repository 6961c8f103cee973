using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Behaviors;
using CleanAddon.Application.Extensibility;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.Glances;

/// <summary>A declared glance's value for the room a HipChat client opened (the JWT's room).</summary>
public sealed record GetGlanceQuery(HipChatCaller Caller, GlanceDeclaration Glance) : IQuery<GlanceContent>, IInstallationMessage
{
    public long? RoomId => Caller.RoomId;
}

public sealed class GetGlanceValidator : AbstractValidator<GetGlanceQuery>
{
    public GetGlanceValidator() =>
        RuleFor(q => q.RoomId).NotNull().WithMessage("The JWT names no room; a glance is always shown in one.")
            .GreaterThan(0);
}

public sealed class GetGlanceHandler(IServiceProvider services) : IQueryHandler<GetGlanceQuery, GlanceContent>
{
    public ValueTask<GlanceContent> Handle(GetGlanceQuery query, CancellationToken cancellationToken) =>
        query.Glance.Get(
            new GlanceContext(query.Glance.Key, query.Caller.OAuthId, query.RoomId!.Value, services), cancellationToken);
}
