using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CleanAddon.Application.Extensibility;

/// <summary>
/// Declares the add-on's capabilities next to their handlers:
/// <c>services.AddAddonModules(addon =&gt; addon.Webhook&lt;EchoHandler&gt;("echo", pattern: ".*"))</c>.
/// Each call registers the handler in DI and the capability in the descriptor, with its route, JWT
/// authentication and dispatch. Call it as often as you like; keys must stay unique.
/// </summary>
public sealed class AddonModulesBuilder(AddonModules modules, IServiceCollection services)
{
    /// <summary>A webhook for the event <typeparamref name="THandler"/> handles.</summary>
    /// <param name="key">Module key, also the last segment of the webhook's URL.</param>
    /// <param name="pattern">For message events, the regex HipChat filters on; checked again on our side.</param>
    /// <param name="name">A label HipChat may show.</param>
    public AddonModulesBuilder Webhook<THandler>(string key, string? pattern = null, string? name = null)
        where THandler : class, IWebhookHandler
    {
        modules.AddWebhook(typeof(THandler), key, pattern, name);
        services.TryAddScoped<THandler>();
        return this;
    }

    /// <summary>A glance; <paramref name="target"/> is the key of the web panel or dialog a click opens.</summary>
    public AddonModulesBuilder Glance<THandler>(string key, string name, string? target = null)
        where THandler : class, IGlanceHandler
    {
        modules.AddGlance(typeof(THandler), key, name, target);
        services.TryAddScoped<THandler>();
        return this;
    }

    /// <summary>A view in HipChat's right sidebar.</summary>
    public AddonModulesBuilder WebPanel<THandler>(string key, string name)
        where THandler : class, IPageHandler => Page<THandler>(key, PageKind.WebPanel, name, null);

    /// <summary>A modal dialog, opened by a glance, an action or <c>HipChat.dialog.open</c>.</summary>
    public AddonModulesBuilder Dialog<THandler>(string key, string title, DialogOptions? options = null)
        where THandler : class, IPageHandler => Page<THandler>(key, PageKind.Dialog, title, options ?? new DialogOptions());

    /// <summary>The configure page admins open from HipChat's integrations page.</summary>
    public AddonModulesBuilder Configurable<THandler>(string key = "configure")
        where THandler : class, IPageHandler => Page<THandler>(key, PageKind.Configurable, "Configure", null);

    /// <summary>A menu entry on messages or by the chat input that opens <paramref name="target"/>.</summary>
    public AddonModulesBuilder Action(string key, string name, ActionLocation location, string target)
    {
        modules.AddAction(key, name, location, target);
        return this;
    }

    /// <summary>Subscribes to installed, uninstalled and access-revoked events.</summary>
    public AddonModulesBuilder OnLifecycle<THandler>()
        where THandler : class, IAddonLifecycleHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAddonLifecycleHandler, THandler>());
        return this;
    }

    private AddonModulesBuilder Page<THandler>(string key, PageKind kind, string name, DialogOptions? dialog)
        where THandler : class, IPageHandler
    {
        modules.AddPage(typeof(THandler), key, kind, name, dialog);
        services.TryAddScoped<THandler>();
        return this;
    }
}
