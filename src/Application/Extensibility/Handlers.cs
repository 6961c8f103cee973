using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;
using FluentValidation;
using FluentValidation.Results;

namespace CleanAddon.Application.Extensibility;

/// <summary>Marks a webhook handler; implement <see cref="IWebhookHandler{TEvent}"/> or <see cref="IImmediateWebhookHandler{TEvent}"/>.</summary>
public interface IWebhookHandler;

/// <summary>
/// Handles one HipChat webhook event type. Runs after HipChat got its 204, from a durable queue: a slow or failing
/// handler never makes HipChat time out, and a failure is retried. What the handler changes in its state
/// (<see cref="IAddonDbContext"/>) and sends through <see cref="WebhookContext.Room"/> is committed together when it
/// returns; it need not save.
/// </summary>
public interface IWebhookHandler<in TEvent> : IWebhookHandler
    where TEvent : WebhookEvent, IWebhookEvent
{
    ValueTask HandleAsync(TEvent webhook, WebhookContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Handles a webhook inline and answers with a room notification that HipChat posts itself (the webhook's JSON
/// response). Keep it fast: HipChat waits for it.
/// </summary>
public interface IImmediateWebhookHandler<in TEvent> : IWebhookHandler
    where TEvent : WebhookEvent, IWebhookEvent
{
    ValueTask<RoomNotification?> HandleAsync(TEvent webhook, WebhookContext context, CancellationToken cancellationToken);
}

/// <summary>
/// What a webhook handler knows besides the event, and its way to answer: <see cref="Room"/> sends to the room the
/// webhook came from, which the framework has checked belongs to the installation.
/// </summary>
public sealed class WebhookContext(HipChatCaller caller, string key, long roomId, RoomClient room, IServiceProvider services)
{
    /// <summary>The declared webhook's key.</summary>
    public string Key => key;

    /// <summary>The installation the webhook was sent for: the key of everything you keep for it.</summary>
    public string OAuthId => caller.OAuthId;

    public long RoomId => roomId;

    /// <summary>The HipChat user HipChat signed the webhook for, when it names one.</summary>
    public string? UserId => caller.UserId;

    public RoomClient Room => room;

    /// <summary>The handler's scope, for delegates that need a service.</summary>
    public IServiceProvider Services => services;
}

/// <summary>Answers a glance's query URL for the room a HipChat client opened.</summary>
public interface IGlanceHandler
{
    ValueTask<GlanceContent> GetAsync(GlanceContext context, CancellationToken cancellationToken);
}

/// <summary>The glance asked for, the installation and room it is shown in, and the request's scope.</summary>
public sealed record GlanceContext(string Key, string OAuthId, long RoomId, IServiceProvider Services);

/// <summary>Marks a page action handler; implement <see cref="IPageActionHandler{TForm}"/>.</summary>
public interface IPageActionHandler;

/// <summary>
/// Runs a call one of the add-on's views makes back to it, with the form the view sent, already validated by the
/// validators registered for <typeparamref name="TForm"/>. What it changes in its state (<see cref="IAddonDbContext"/>)
/// and sends through <see cref="PageActionContext.Room"/> commits together when it returns, and none of it when it
/// throws; it need not save.
/// </summary>
public interface IPageActionHandler<in TForm> : IPageActionHandler
    where TForm : class
{
    ValueTask HandleAsync(TForm form, PageActionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// What a page action knows besides its form: the installation and user of the JWT, and <see cref="Room"/>, the room
/// the view was opened in, which the framework has checked the installation covers.
/// </summary>
public sealed class PageActionContext(HipChatCaller caller, RoomClient? room, IServiceProvider services)
{
    /// <summary>The installation the view was opened for: the key of everything you keep for it.</summary>
    public string OAuthId => caller.OAuthId;

    /// <summary>The HipChat user of the view.</summary>
    public string? UserId => caller.UserId;

    /// <summary>The room of the view; null for a configure page opened for the whole group.</summary>
    public long? RoomId => caller.RoomId;

    /// <summary>The view's room; asked for when the JWT names none, the call is a validation problem.</summary>
    public RoomClient Room => room
        ?? throw new ValidationException([new ValidationFailure("room", "The JWT names no room to act in.")]);

    /// <summary>The call's scope, for delegates that need a service.</summary>
    public IServiceProvider Services => services;
}

/// <summary>
/// Reacts to an installation's lifecycle, after the change has been committed. Failures are logged and never undo
/// the change. Implement only the methods you need.
/// </summary>
public interface IAddonLifecycleHandler
{
    ValueTask OnInstalledAsync(InstallationChanged installation, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    ValueTask OnUninstalledAsync(InstallationChanged installation, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    /// <summary>HipChat refused the installation's credentials: it was removed without the add-on being told.</summary>
    ValueTask OnAccessRevokedAsync(InstallationChanged installation, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}

/// <param name="OAuthId">The installation.</param>
/// <param name="GroupId">Its HipChat group.</param>
/// <param name="RoomId">Its room; null for a global installation.</param>
/// <param name="Reinstalled">True when HipChat installed over an existing installation.</param>
public sealed record InstallationChanged(string OAuthId, long GroupId, long? RoomId, bool Reinstalled = false);
