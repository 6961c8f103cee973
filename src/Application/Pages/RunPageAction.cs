using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Behaviors;
using CleanAddon.Application.Extensibility;
using Mediator;

namespace CleanAddon.Application.Pages;

/// <summary>A view called one of its page actions with a form, for the installation and room of the JWT.</summary>
public sealed record RunPageActionCommand(HipChatCaller Caller, PageActionDeclaration Action, object Form)
    : ICommand, IInstallationMessage
{
    public long? RoomId => Caller.RoomId;
}

/// <summary>
/// Runs the action in one unit of work: what it changed in the module's state and the calls to HipChat it queued
/// commit together, or nothing does when it throws.
/// </summary>
public sealed class RunPageActionHandler(IAddonStore store, IHipChatOutbox outbox, IServiceProvider services)
    : ICommandHandler<RunPageActionCommand>
{
    public async ValueTask<Unit> Handle(RunPageActionCommand command, CancellationToken cancellationToken)
    {
        var caller = command.Caller;
        var room = caller.RoomId is { } roomId ? new RoomClient(outbox, caller.OAuthId, roomId) : null;
        await command.Action.Invoke(command.Form, new PageActionContext(caller, room, services), cancellationToken);
        await store.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
