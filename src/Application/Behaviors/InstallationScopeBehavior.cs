using CleanAddon.Application.Abstractions;
using Mediator;

namespace CleanAddon.Application.Behaviors;

/// <summary>
/// A message sent for a verified HipChat caller: the framework checks, once and here, that its installation exists and
/// covers the room the message acts in, before any handler runs.
/// </summary>
public interface IInstallationMessage
{
    HipChatCaller Caller { get; }

    /// <summary>The room the message acts in; null when it acts on the installation as a whole.</summary>
    long? RoomId { get; }
}

/// <summary>The installation of the <see cref="IInstallationMessage"/> being handled in this scope, as the check found it.</summary>
public sealed class CallerInstallation
{
    private InstallationSnapshot? _installation;

    public InstallationSnapshot Installation
    {
        get => _installation ?? throw new InvalidOperationException("No installation message is being handled in this scope.");
        internal set => _installation = value;
    }
}

/// <summary>
/// Refuses an <see cref="IInstallationMessage"/> whose installation is gone or does not cover its room, and hands
/// the installation it found to the handler through <see cref="CallerInstallation"/>.
/// </summary>
public sealed class InstallationScopeBehavior<TMessage, TResponse>(IInstallationDirectory installations, CallerInstallation current)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is IInstallationMessage scoped)
        {
            var installation = await installations.FindAsync(scoped.Caller.OAuthId, cancellationToken)
                ?? throw new AccessDeniedException("The JWT's installation is gone.");
            if (scoped.RoomId is { } roomId && !installation.Covers(roomId))
            {
                throw new AccessDeniedException("The room is not covered by the JWT's installation.");
            }

            current.Installation = installation;
        }

        return await next(message, cancellationToken);
    }
}
