using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Behaviors;
using CleanAddon.Application.Extensibility;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application.Pages;

/// <summary>A declared view (web panel, dialog, configure page) for the installation of the JWT.</summary>
public sealed record RenderPageQuery(HipChatCaller Caller, PageDeclaration Page) : IQuery<RenderedPage>, IInstallationMessage
{
    public long? RoomId => Caller.RoomId;
}

/// <param name="Page">What the handler rendered.</param>
/// <param name="HipChatWebUrl">The installation's HipChat web origin, which serves all.js (cloud or Server).</param>
public sealed record RenderedPage(AddonPage Page, Uri HipChatWebUrl);

public sealed class RenderPageHandler(CallerInstallation installation, IServiceProvider services)
    : IQueryHandler<RenderPageQuery, RenderedPage>
{
    public async ValueTask<RenderedPage> Handle(RenderPageQuery query, CancellationToken cancellationToken)
    {
        var handler = (IPageHandler)services.GetRequiredService(query.Page.HandlerType);
        var page = await handler.RenderAsync(new PageContext(query.Caller, query.Page.Key), cancellationToken);
        return new RenderedPage(page, installation.Installation.HipChatWebUrl);
    }
}
