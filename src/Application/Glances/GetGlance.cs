using System.Globalization;
using CleanAddon.Application.Abstractions;
using FluentValidation;
using Mediator;

namespace CleanAddon.Application.Glances;

/// <summary>The sample glance's value for the room a HipChat client opened.</summary>
public sealed record GetGlanceQuery(HipChatCaller Caller, long? RoomId) : IQuery<GlanceContent>;

public sealed class GetGlanceValidator : AbstractValidator<GetGlanceQuery>
{
    public GetGlanceValidator() =>
        RuleFor(q => q.RoomId).NotNull().WithMessage("The JWT names no room; a glance is always shown in one.")
            .GreaterThan(0);
}

public sealed class GetGlanceHandler(IAddonStore store) : IQueryHandler<GetGlanceQuery, GlanceContent>
{
    public async ValueTask<GlanceContent> Handle(GetGlanceQuery query, CancellationToken cancellationToken)
    {
        var installation = await store.FindInstallationAsync(query.Caller.OAuthId, cancellationToken);
        var roomId = query.RoomId!.Value;
        if (installation is null || !installation.Covers(roomId))
        {
            throw new AccessDeniedException("The glance's room is not covered by the JWT's installation.");
        }

        var room = await store.FindRoomActivityAsync(query.Caller.OAuthId, roomId, cancellationToken);
        return Describe(room?.EchoCount ?? 0);
    }

    public static GlanceContent Describe(long echoes) =>
        new(new GlanceLabel(string.Create(
            CultureInfo.InvariantCulture, $"<b>{echoes}</b> {(echoes == 1 ? "echo" : "echoes")}")));
}
