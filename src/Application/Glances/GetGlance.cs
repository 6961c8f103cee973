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

/// <summary>From memory when the room's glance is known (<see cref="IGlanceCache"/>), else from the glance's handler.</summary>
public sealed class GetGlanceHandler(IGlanceCache cache, IServiceProvider services) : IQueryHandler<GetGlanceQuery, GlanceContent>
{
    public async ValueTask<GlanceContent> Handle(GetGlanceQuery query, CancellationToken cancellationToken)
    {
        var (oAuthId, roomId, key) = (query.Caller.OAuthId, query.RoomId!.Value, query.Glance.Key);
        if (cache.TryGet(oAuthId, roomId, key, out var known))
        {
            return known;
        }

        var content = await query.Glance.Get(new GlanceContext(key, oAuthId, roomId, services), cancellationToken);
        cache.Set(oAuthId, roomId, key, content);
        return content;
    }
}
