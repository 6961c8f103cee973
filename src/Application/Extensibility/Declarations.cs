using System.Reflection;
using System.Text.RegularExpressions;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.Application.Extensibility;

/// <summary>A capability of the add-on, identified by a key unique within the add-on (spec 2.2).</summary>
public abstract record ModuleDeclaration(string Key);

/// <summary>A declared webhook: the event it listens to, and how its handler is invoked.</summary>
/// <param name="Key">The module key, also the last segment of the webhook's URL.</param>
/// <param name="Event">HipChat's event name.</param>
/// <param name="Name">A label HipChat may show.</param>
/// <param name="Pattern">For message events, the regex HipChat filters on; matched again on our side.</param>
/// <param name="EventType">The typed event the body is read as.</param>
/// <param name="Invoke">Calls the handler with the typed event.</param>
/// <param name="Immediate">True when the handler runs inline and answers with the notification HipChat posts.</param>
public sealed record WebhookDeclaration(
    string Key,
    string Event,
    string? Name,
    Regex? Pattern,
    Type EventType,
    WebhookInvoker Invoke,
    bool Immediate) : ModuleDeclaration(Key)
{
    /// <summary>HipChat filters on the pattern already; matching again keeps a misbehaving server from reaching handlers.</summary>
    public bool Matches(WebhookEvent webhook)
    {
        if (Pattern is null || webhook.Text is not { } text)
        {
            return true;
        }

        try
        {
            return Pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}

/// <summary>Calls a handler with the typed event; answers a notification only for immediate handlers.</summary>
public delegate ValueTask<RoomNotification?> WebhookInvoker(
    IServiceProvider services, WebhookEvent webhook, WebhookContext context, CancellationToken cancellationToken);

/// <summary>A declared glance; <see cref="Target"/> is the key of the web panel or dialog a click opens.</summary>
public sealed record GlanceDeclaration(string Key, string Name, GlanceInvoker Get, string? Target) : ModuleDeclaration(Key);

/// <summary>Calls a glance's handler.</summary>
public delegate ValueTask<GlanceContent> GlanceInvoker(GlanceContext context, CancellationToken cancellationToken);

public enum PageKind
{
    WebPanel,
    Dialog,
    Configurable,
}

/// <summary>A view loaded in a HipChat iframe.</summary>
/// <param name="Key">The module key; the configure page's key names only its route.</param>
/// <param name="Kind">Where HipChat shows it.</param>
/// <param name="Name">The web panel's name or the dialog's title; also the page's title.</param>
/// <param name="ViewType">The Razor component that renders it; the host refuses any other type at start-up.</param>
/// <param name="Dialog">Dialog options, for dialogs.</param>
public sealed record PageDeclaration(string Key, PageKind Kind, string Name, Type ViewType, DialogOptions? Dialog)
    : ModuleDeclaration(Key);

/// <summary>A dialog's size and buttons (spec 2.8).</summary>
public sealed record DialogOptions(string Size = "medium", string? PrimaryActionName = null, string? PrimaryActionKey = null);

public enum ActionLocation
{
    MessageAction,
    InputAction,
}

/// <summary>
/// A call a view makes back to the add-on (<c>{Addon:BaseUrl}/{Path}</c>), with a JWT from
/// <c>HipChat.auth.withToken</c> in the Authorization header. Not in the descriptor: only the add-on's views call it.
/// </summary>
/// <param name="Method">The HTTP method it answers.</param>
/// <param name="Path">Its path under the add-on's base URL, without a leading slash (<c>post-card</c>).</param>
/// <param name="FormType">What the body (JSON or form fields) is read as.</param>
/// <param name="Invoke">Validates the form, then runs the action.</param>
public sealed record PageActionDeclaration(HttpMethod Method, string Path, Type FormType, PageActionInvoker Invoke);

/// <summary>Validates a page action's form with the validators registered for its type, then runs the action.</summary>
public delegate ValueTask PageActionInvoker(
    object form, PageActionContext context, CancellationToken cancellationToken);

/// <summary>An entry in a message's or the chat input's menu that opens a dialog or web panel.</summary>
public sealed record ActionDeclaration(string Key, string Name, ActionLocation Location, string Target)
    : ModuleDeclaration(Key);

/// <summary>
/// An entity a module keeps in the add-on's database, configured by <see cref="Configuration"/> (its
/// <c>IEntityTypeConfiguration</c>); its table belongs to
/// the module's migrations (<see cref="IAddonModule.Name"/>), found in <see cref="MigrationsAssembly"/> (the
/// framework's Infrastructure assembly when null).
/// </summary>
public sealed record StateDeclaration(Type EntityType, object Configuration, string Module, Assembly? MigrationsAssembly);
