using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application.Glances;

/// <summary>A declared glance's value for the room a HipChat client opened.</summary>
public sealed record GetGlanceQuery(HipChatCaller Caller, string Key, long? RoomId) : IQuery<GlanceContent>;

public sealed class GetGlanceValidator : AbstractValidator<GetGlanceQuery>
{
    public GetGlanceValidator() =>
        RuleFor(q => q.RoomId).NotNull().WithMessage("The JWT names no room; a glance is always shown in one.")
            .GreaterThan(0);
}

public sealed class GetGlanceHandler(AddonModules modules, IAddonStore store, IServiceProvider services)
    : IQueryHandler<GetGlanceQuery, GlanceContent>
{
    public async ValueTask<GlanceContent> Handle(GetGlanceQuery query, CancellationToken cancellationToken)
    {
        var declaration = modules.Glance(query.Key)
            ?? throw new InvalidOperationException($"No glance is declared as '{query.Key}'.");
        var roomId = query.RoomId!.Value;
        var installation = await store.FindInstallationAsync(query.Caller.OAuthId, cancellationToken);
        if (installation is null || !installation.Covers(roomId))
        {
            throw new AccessDeniedException("The glance's room is not covered by the JWT's installation.");
        }

        var handler = (IGlanceHandler)services.GetRequiredService(declaration.HandlerType);
        return await handler.GetAsync(new GlanceContext(query.Caller, query.Key, roomId), cancellationToken);
    }
}
