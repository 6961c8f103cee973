using System.Reflection;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Webhooks;
using FluentValidation;
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

    /// <summary>
    /// A view in HipChat's right sidebar, rendered by the Razor component <paramref name="view"/>. The host refuses any
    /// other type at start-up; <c>addon.WebPanel&lt;TComponent&gt;(key, name)</c> (CleanAddon.Api.Pages) checks it as
    /// you type.
    /// </summary>
    public AddonModulesBuilder WebPanel(Type view, string key, string name)
    {
        _modules.AddPage(view, key, PageKind.WebPanel, name, null);
        return this;
    }

    /// <summary>
    /// A modal dialog rendered by the Razor component <paramref name="view"/>, opened by a glance, an action or
    /// <c>HipChat.dialog.open</c>.
    /// </summary>
    public AddonModulesBuilder Dialog(Type view, string key, string title, DialogOptions? options = null)
    {
        _modules.AddPage(view, key, PageKind.Dialog, title, options ?? new DialogOptions());
        return this;
    }

    /// <summary>
    /// The configure page admins open from HipChat's integrations page, rendered by the Razor component
    /// <paramref name="view"/>.
    /// </summary>
    public AddonModulesBuilder Configurable(Type view, string key = "configure")
    {
        _modules.AddPage(view, key, PageKind.Configurable, "Configure", null);
        return this;
    }

    /// <summary>
    /// A call the add-on's views make back to it at <c>{Addon:BaseUrl}/{path}</c>, with the form they send (JSON or
    /// form fields) read as <typeparamref name="TForm"/> and checked by its FluentValidation validators. The framework
    /// authenticates the JWT (Authorization header only), checks the installation covers the view's room, and commits
    /// what <paramref name="handle"/> changes and sends together; it answers 204.
    /// </summary>
    public AddonModulesBuilder PageAction<TForm>(
        HttpMethod method, string path, Func<TForm, PageActionContext, CancellationToken, ValueTask> handle)
        where TForm : class
    {
        ArgumentNullException.ThrowIfNull(handle);
        _modules.AddPageAction(method, path, typeof(TForm), Invoker(handle));
        AddValidatorsOf(typeof(TForm));
        return this;
    }

    /// <summary>
    /// A page action handled by a synchronous <paramref name="handle"/>,
    /// e.g. <c>(form, context) =&gt; context.Room.Notify(form.Text)</c>.
    /// </summary>
    public AddonModulesBuilder PageAction<TForm>(
        HttpMethod method, string path, Action<TForm, PageActionContext> handle)
        where TForm : class
    {
        ArgumentNullException.ThrowIfNull(handle);
        return PageAction<TForm>(method, path, (form, context, _) =>
        {
            handle(form, context);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// A page action handled by <typeparamref name="THandler"/> (an <see cref="IPageActionHandler{TForm}"/>, from DI).
    /// </summary>
    public AddonModulesBuilder PageAction<THandler>(HttpMethod method, string path)
        where THandler : class, IPageActionHandler
    {
        var forms = typeof(THandler).GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IPageActionHandler<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToList();
        if (forms.Count != 1 || typeof(THandler).IsAbstract)
        {
            throw new AddonDeclarationException(
                typeof(THandler).Name, "a page action handler is a concrete class handling exactly one form type.");
        }

        var invoker = typeof(AddonModulesBuilder)
            .GetMethod(nameof(HandlerInvoker), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeof(THandler), forms[0])
            .Invoke(null, null)!;
        _modules.AddPageAction(method, path, forms[0], (PageActionInvoker)invoker);
        _services.TryAddScoped<THandler>();
        AddValidatorsOf(forms[0]);
        return this;
    }

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

    private static PageActionInvoker HandlerInvoker<THandler, TForm>()
        where THandler : class, IPageActionHandler<TForm>
        where TForm : class =>
        Invoker<TForm>((form, context, cancellationToken) =>
            context.Services.GetRequiredService<THandler>().HandleAsync(form, context, cancellationToken));

    private static PageActionInvoker Invoker<TForm>(Func<TForm, PageActionContext, CancellationToken, ValueTask> handle)
        where TForm : class =>
        async (form, context, cancellationToken) =>
        {
            var typed = (TForm)form;
            await PageForms.ValidateAsync(typed, context.Services, cancellationToken);
            await handle(typed, context, cancellationToken);
        };

    /// <summary>
    /// The form's validators, wherever its module lives (the framework's scan covers only this assembly): a validator
    /// left unregistered would let unchecked input through without a word.
    /// </summary>
    private void AddValidatorsOf(Type formType)
    {
        var service = typeof(IValidator<>).MakeGenericType(formType);
        foreach (var validator in formType.Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }
                && service.IsAssignableFrom(t)))
        {
            _services.TryAddEnumerable(ServiceDescriptor.Singleton(service, validator));
        }
    }
}
