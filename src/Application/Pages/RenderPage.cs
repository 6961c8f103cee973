using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Application.Pages;

/// <summary>A declared view (web panel, dialog, configure page) for the installation of the JWT.</summary>
public sealed record RenderPageQuery(HipChatCaller Caller, string Key) : IQuery<RenderedPage>;

/// <param name="Page">What the handler rendered.</param>
/// <param name="HipChatWebUrl">The installation's HipChat web origin, which serves all.js (cloud or Server).</param>
public sealed record RenderedPage(AddonPage Page, Uri HipChatWebUrl);

public sealed class RenderPageHandler(AddonModules modules, IAddonStore store, IServiceProvider services)
    : IQueryHandler<RenderPageQuery, RenderedPage>
{
    public async ValueTask<RenderedPage> Handle(RenderPageQuery query, CancellationToken cancellationToken)
    {
        var declaration = modules.Page(query.Key)
            ?? throw new InvalidOperationException($"No page is declared as '{query.Key}'.");
        var installation = await store.FindInstallationAsync(query.Caller.OAuthId, cancellationToken)
            ?? throw new AccessDeniedException("The installation is gone.");

        var handler = (IPageHandler)services.GetRequiredService(declaration.HandlerType);
        var page = await handler.RenderAsync(new PageContext(query.Caller, query.Key), cancellationToken);
        return new RenderedPage(page, installation.HipChatWebUrl);
    }
}
