using CleanAddon.Application.Glances;
using CleanAddon.Application.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CleanAddon.Application.Extensibility;

/// <summary>
/// Declares the add-on's capabilities next to their handlers, in an <see cref="IAddonModule"/>:
/// <c>addon.Webhook&lt;RoomMessageEvent&gt;("standup", "^/standup", (message, context) =&gt; context.Room.Notify("…"))</c>.
/// Each declaration puts the capability in the descriptor with its route, JWT authentication and dispatch, and
/// registers its handler in DI. Keys must be unique across modules.
/// </summary>
public sealed class AddonModulesBuilder
{
    private readonly AddonModules _modules;
    private readonly IServiceCollection _services;
    private readonly string? _module;

    internal AddonModulesBuilder(AddonModules modules, IServiceCollection services, string? module)
    {
        _modules = modules;
        _services = services;
        _module = module;
    }

    /// <summary>A webhook for the event <typeparamref name="THandler"/> handles (an <see cref="IWebhookHandler{TEvent}"/>).</summary>
    /// <param name="key">Module key, also the last segment of the webhook's URL.</param>
    /// <param name="pattern">For message events, the regex HipChat filters on; checked again on our side.</param>
    /// <param name="name">A label HipChat may show.</param>
    public AddonModulesBuilder Webhook<THandler>(string key, string? pattern = null, string? name = null)
        where THandler : class, IWebhookHandler
    {
        _modules.AddWebhook(typeof(THandler), key, pattern, name);
        _services.TryAddScoped<THandler>();
        return this;
    }

    /// <summary>A webhook for <typeparamref name="TEvent"/> handled by <paramref name="handle"/>.</summary>
    public AddonModulesBuilder Webhook<TEvent>(string key, string? pattern, Action<TEvent, WebhookContext> handle, string? name = null)
        where TEvent : WebhookEvent, IWebhookEvent
    {
        ArgumentNullException.ThrowIfNull(handle);
        _modules.AddWebhook<TEvent>(key, pattern, name, (webhook, context, _) =>
        {
            handle(webhook, context);
            return ValueTask.CompletedTask;
        });
        return this;
    }

    /// <summary>A webhook for <typeparamref name="TEvent"/> handled by an asynchronous <paramref name="handle"/>.</summary>
    public AddonModulesBuilder Webhook<TEvent>(
        string key, string? pattern, Func<TEvent, WebhookContext, CancellationToken, ValueTask> handle, string? name = null)
        where TEvent : WebhookEvent, IWebhookEvent
    {
        ArgumentNullException.ThrowIfNull(handle);
        _modules.AddWebhook(key, pattern, name, handle);
        return this;
    }

    /// <summary>A glance answered by <typeparamref name="THandler"/>; <paramref name="target"/> is the key of the web panel or dialog a click opens.</summary>
    public AddonModulesBuilder Glance<THandler>(string key, string name, string? target = null)
        where THandler : class, IGlanceHandler
    {
        _modules.AddGlance(key, name, target, (context, cancellationToken) =>
            context.Services.GetRequiredService<THandler>().GetAsync(context, cancellationToken));
        _services.TryAddScoped<THandler>();
        return this;
    }

    /// <summary>A glance answered by <paramref name="get"/>.</summary>
    public AddonModulesBuilder Glance(
        string key, string name, Func<GlanceContext, CancellationToken, ValueTask<GlanceContent>> get, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(get);
        _modules.AddGlance(key, name, target, (context, cancellationToken) => get(context, cancellationToken));
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
        _modules.AddAction(key, name, location, target);
        return this;
    }

    /// <summary>
    /// An entity the module keeps in the add-on's database, configured by <typeparamref name="TConfiguration"/>; its
    /// handlers reach it through <c>IAddonDbContext.Set&lt;TEntity&gt;()</c>. Its table belongs to the module's
    /// migrations (<c>scripts/add-migration.sh &lt;module&gt; &lt;name&gt;</c>). Rows of an
    /// <see cref="IInstallationOwned"/> entity are deleted with their installation.
    /// </summary>
    public AddonModulesBuilder State<TEntity, TConfiguration>()
        where TEntity : class
        where TConfiguration : IEntityTypeConfiguration<TEntity>, new()
    {
        _modules.AddState(typeof(TEntity), new TConfiguration(), _module);
        return this;
    }

    /// <summary>Subscribes to installed, uninstalled and access-revoked events.</summary>
    public AddonModulesBuilder OnLifecycle<THandler>()
        where THandler : class, IAddonLifecycleHandler
    {
        _services.TryAddEnumerable(ServiceDescriptor.Scoped<IAddonLifecycleHandler, THandler>());
        return this;
    }

    private AddonModulesBuilder Page<THandler>(string key, PageKind kind, string name, DialogOptions? dialog)
        where THandler : class, IPageHandler
    {
        _modules.AddPage(typeof(THandler), key, kind, name, dialog);
        _services.TryAddScoped<THandler>();
        return this;
    }
}
