using System.Text.RegularExpressions;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.Application.Extensibility;

/// <summary>A capability of the add-on, identified by a key unique within the add-on (spec 2.2).</summary>
public abstract record ModuleDeclaration(string Key);

/// <summary>A declared webhook: the event it listens to, the handler that gets it, and how it is invoked.</summary>
public sealed record WebhookDeclaration(
    string Key,
    string Event,
    string? Name,
    Regex? Pattern,
    Type EventType,
    Type HandlerType,
    WebhookInvoker Invoke,
    bool Immediate) : ModuleDeclaration(Key);

/// <summary>Calls a handler with the typed event; answers a notification only for immediate handlers.</summary>
public delegate ValueTask<RoomNotification?> WebhookInvoker(
    IServiceProvider services, WebhookEvent webhook, WebhookContext context, CancellationToken cancellationToken);

public sealed record GlanceDeclaration(string Key, string Name, Type HandlerType, string? Target) : ModuleDeclaration(Key);

public enum PageKind
{
    WebPanel,
    Dialog,
    Configurable,
}

/// <summary>A view loaded in a HipChat iframe.</summary>
/// <param name="Key">The module key; the configure page's key names only its route.</param>
/// <param name="Kind">Where HipChat shows it.</param>
/// <param name="Name">The web panel's name or the dialog's title.</param>
/// <param name="HandlerType">The <see cref="IPageHandler"/> that renders it.</param>
/// <param name="Dialog">Dialog options, for dialogs.</param>
public sealed record PageDeclaration(string Key, PageKind Kind, string Name, Type HandlerType, DialogOptions? Dialog)
    : ModuleDeclaration(Key);

/// <summary>A dialog's size and buttons (spec 2.8).</summary>
public sealed record DialogOptions(string Size = "medium", string? PrimaryActionName = null, string? PrimaryActionKey = null);

public enum ActionLocation
{
    MessageAction,
    InputAction,
}

/// <summary>An entry in a message's or the chat input's menu that opens a dialog or web panel.</summary>
public sealed record ActionDeclaration(string Key, string Name, ActionLocation Location, string Target)
    : ModuleDeclaration(Key);
