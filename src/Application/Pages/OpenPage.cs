using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Behaviors;
using Mediator;

namespace CleanAddon.Application.Pages;

/// <summary>A declared view (web panel, dialog, configure page) opened for the JWT's installation and room.</summary>
public sealed record OpenPageQuery(HipChatCaller Caller) : IQuery<OpenedPage>, IInstallationMessage
{
    public long? RoomId => Caller.RoomId;
}

/// <param name="HipChatWebUrl">The installation's HipChat web origin, which serves all.js (cloud or Server).</param>
public sealed record OpenedPage(Uri HipChatWebUrl);

public sealed class OpenPageHandler(CallerInstallation installation) : IQueryHandler<OpenPageQuery, OpenedPage>
{
    public ValueTask<OpenedPage> Handle(OpenPageQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new OpenedPage(installation.Installation.HipChatWebUrl));
}
