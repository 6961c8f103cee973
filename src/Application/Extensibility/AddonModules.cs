using System.Reflection;
using System.Text.RegularExpressions;
using CleanAddon.Application.Notifications;
using CleanAddon.Application.Webhooks;

namespace CleanAddon.Application.Extensibility;

/// <summary>
/// Every capability the add-on declares. The descriptor, the routes and the dispatch are generated from it, so a
/// capability is one handler plus one declaration; mistakes are refused when they are declared, at start-up.
/// </summary>
public sealed partial class AddonModules
{
    public const int KeyMaxLength = 40;
    public const int NameMaxLength = 100;
    public const int ModuleNameMaxLength = 30;
    public const int PageActionPathMaxLength = 200;

    /// <summary>The name of the framework's own migrations, which no module may take.</summary>
    public const string FrameworkSet = "framework";

    /// <summary>A declared pattern is matched on our side too; a pathological one gives up rather than hang.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private readonly List<ModuleDeclaration> _modules = [];
    private readonly List<StateDeclaration> _states = [];
    private readonly List<PageActionDeclaration> _pageActions = [];
    private readonly Dictionary<string, Assembly?> _moduleNames = new(StringComparer.Ordinal);

    public IReadOnlyList<WebhookDeclaration> Webhooks => [.. _modules.OfType<WebhookDeclaration>()];

    public IReadOnlyList<GlanceDeclaration> Glances => [.. _modules.OfType<GlanceDeclaration>()];

    public IReadOnlyList<PageDeclaration> Pages => [.. _modules.OfType<PageDeclaration>()];

    public IReadOnlyList<ActionDeclaration> Actions => [.. _modules.OfType<ActionDeclaration>()];

    /// <summary>The calls the add-on's views make back to it, in declaration order.</summary>
    public IReadOnlyList<PageActionDeclaration> PageActions => _pageActions;

    public WebhookDeclaration? Webhook(string key) => Find<WebhookDeclaration>(key);

    public GlanceDeclaration? Glance(string key) => Find<GlanceDeclaration>(key);

    public PageDeclaration? Page(string key) => Find<PageDeclaration>(key);

    /// <summary>The entities modules keep in the add-on's database, in declaration order.</summary>
    public IReadOnlyList<StateDeclaration> States => _states;

    /// <summary>The modules that keep state, each with the assembly of its migrations (null: Infrastructure's).</summary>
    public IReadOnlyDictionary<string, Assembly?> StateModules =>
        _states.Select(s => s.Module).Distinct().ToDictionary(name => name, name => _moduleNames[name], StringComparer.Ordinal);

    /// <summary>True for an entity a module declared as its state.</summary>
    public bool IsState(Type entityType) => _states.Any(s => s.EntityType == entityType);

    internal void AddModule(string name, Assembly? migrationsAssembly)
    {
        if (name.Length is 0 or > ModuleNameMaxLength || !ModuleNameFormat().IsMatch(name) || name == FrameworkSet)
        {
            throw new AddonDeclarationException(
                name, $"a module name has 1 to {ModuleNameMaxLength} of a-z 0-9 and '-', and is not '{FrameworkSet}'.");
        }

        if (!_moduleNames.TryAdd(name, migrationsAssembly))
        {
            throw new AddonDeclarationException(name, "another module already has this name.");
        }
    }

    internal void AddState(Type entityType, object configuration, string? module)
    {
        if (module is null)
        {
            throw new AddonDeclarationException(
                entityType.Name, "state is declared inside an IAddonModule, whose name names its migrations.");
        }

        if (IsState(entityType))
        {
            throw new AddonDeclarationException(entityType.Name, "this entity is declared as state already.");
        }

        _states.Add(new StateDeclaration(entityType, configuration, module, _moduleNames[module]));
    }

    internal WebhookDeclaration AddWebhook(Type handlerType, string key, string? pattern, string? name)
    {
        var (eventType, immediate) = HandledEvent(handlerType);
        return AddWebhook(eventType, key, pattern, name, Invoker(handlerType, eventType, immediate), immediate);
    }

    internal WebhookDeclaration AddWebhook<TEvent>(
        string key, string? pattern, string? name, Func<TEvent, WebhookContext, CancellationToken, ValueTask> handle)
        where TEvent : WebhookEvent, IWebhookEvent =>
        AddWebhook(
            typeof(TEvent), key, pattern, name,
            async (_, webhook, context, cancellationToken) =>
            {
                await handle((TEvent)webhook, context, cancellationToken);
                return null;
            },
            immediate: false);

    internal GlanceDeclaration AddGlance(string key, string name, string? target, GlanceInvoker get) =>
        Add(new GlanceDeclaration(key, CheckName(key, name)!, get, target));

    internal PageDeclaration AddPage(Type viewType, string key, PageKind kind, string name, DialogOptions? dialog)
    {
        ArgumentNullException.ThrowIfNull(viewType);
        if (kind == PageKind.Configurable && Pages.Any(p => p.Kind == PageKind.Configurable))
        {
            throw new AddonDeclarationException(key, "an add-on has one configure page, and one is declared already.");
        }

        return Add(new PageDeclaration(key, kind, CheckName(key, name)!, viewType, dialog));
    }

    internal PageActionDeclaration AddPageAction(
        HttpMethod method, string path, Type formType, PageActionInvoker invoke)
    {
        ArgumentNullException.ThrowIfNull(method);
        path = path.StartsWith('/') ? path[1..] : path;
        if (method != HttpMethod.Post && method != HttpMethod.Put
            && method != HttpMethod.Patch && method != HttpMethod.Delete)
        {
            throw new AddonDeclarationException(path, "a page action sends a body: POST, PUT, PATCH or DELETE.");
        }

        // Paths become routes: a segment of dots would resolve outside the add-on's base URL.
        if (path.Length is 0 or > PageActionPathMaxLength
            || path.Split('/').Any(segment => !KeyFormat().IsMatch(segment) || segment.Trim('.').Length == 0))
        {
            throw new AddonDeclarationException(
                path,
                $"a page action's path has 1 to {PageActionPathMaxLength} characters in segments of a-z A-Z 0-9 _ - .");
        }

        if (_pageActions.Any(a =>
            a.Method == method && string.Equals(a.Path, path, StringComparison.OrdinalIgnoreCase)))
        {
            throw new AddonDeclarationException(path, $"another page action already answers {method} here.");
        }

        var declaration = new PageActionDeclaration(method, path, formType, invoke);
        _pageActions.Add(declaration);
        return declaration;
    }

    internal ActionDeclaration AddAction(string key, string name, ActionLocation location, string target) =>
        Add(new ActionDeclaration(key, CheckName(key, name)!, location, target));

    /// <summary>Checks what only the whole set can tell: every glance and action target is a declared view.</summary>
    public void Validate()
    {
        var views = Pages.Where(p => p.Kind != PageKind.Configurable).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, target) in Glances.Where(g => g.Target is not null).Select(g => (g.Key, g.Target!))
            .Concat(Actions.Select(a => (a.Key, a.Target))))
        {
            if (!views.Contains(target))
            {
                throw new AddonDeclarationException(key, $"its target '{target}' is not a declared web panel or dialog.");
            }
        }
    }

    private WebhookDeclaration AddWebhook(
        Type eventType, string key, string? pattern, string? name, WebhookInvoker invoke, bool immediate)
    {
        var eventName = (string)eventType.GetProperty(nameof(IWebhookEvent.EventName), BindingFlags.Public | BindingFlags.Static)!
            .GetValue(null)!;
        return Add(new WebhookDeclaration(
            key, eventName, CheckName(key, name), Compile(key, pattern), eventType, invoke, immediate));
    }

    private T? Find<T>(string key)
        where T : ModuleDeclaration =>
        _modules.OfType<T>().FirstOrDefault(m => m.Key == key);

    private T Add<T>(T declaration)
        where T : ModuleDeclaration
    {
        CheckKey(declaration.Key);
        if (_modules.Any(m => string.Equals(m.Key, declaration.Key, StringComparison.OrdinalIgnoreCase)))
        {
            throw new AddonDeclarationException(declaration.Key, "another capability already has this key.");
        }

        _modules.Add(declaration);
        return declaration;
    }

    private static void CheckKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > KeyMaxLength || !KeyFormat().IsMatch(key))
        {
            throw new AddonDeclarationException(
                key, $"a key has 1 to {KeyMaxLength} of the characters a-z A-Z 0-9 _ - . (spec 2.2).");
        }

        // Keys become path segments: "." or ".." would resolve outside the route they are declared under.
        if (key.Trim('.').Length == 0)
        {
            throw new AddonDeclarationException(key, "a key made only of dots would escape its URL.");
        }
    }

    private static string? CheckName(string key, string? name) =>
        name is not null && (name.Length == 0 || name.Length > NameMaxLength)
            ? throw new AddonDeclarationException(key, $"a name has 1 to {NameMaxLength} characters.")
            : name;

    private static Regex? Compile(string key, string? pattern)
    {
        if (pattern is null)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException exception)
        {
            throw new AddonDeclarationException(key, $"its pattern does not compile: {exception.Message}");
        }
    }

    private static (Type Event, bool Immediate) HandledEvent(Type handlerType)
    {
        var handled = handlerType.GetInterfaces()
            .Where(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IWebhookHandler<>)
                || i.GetGenericTypeDefinition() == typeof(IImmediateWebhookHandler<>)))
            .ToList();
        if (handled.Count != 1 || handlerType.IsAbstract)
        {
            throw new AddonDeclarationException(
                handlerType.Name, "a webhook handler is a concrete class handling exactly one event type.");
        }

        return (handled[0].GetGenericArguments()[0], handled[0].GetGenericTypeDefinition() == typeof(IImmediateWebhookHandler<>));
    }

    private static WebhookInvoker Invoker(Type handlerType, Type eventType, bool immediate) =>
        typeof(AddonModules)
            .GetMethod(immediate ? nameof(InvokeImmediateAsync) : nameof(InvokeQueuedAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(handlerType, eventType)
            .CreateDelegate<WebhookInvoker>();

    private static async ValueTask<RoomNotification?> InvokeQueuedAsync<THandler, TEvent>(
        IServiceProvider services, WebhookEvent webhook, WebhookContext context, CancellationToken cancellationToken)
        where THandler : IWebhookHandler<TEvent>
        where TEvent : WebhookEvent, IWebhookEvent
    {
        await Resolve<THandler>(services).HandleAsync((TEvent)webhook, context, cancellationToken);
        return null;
    }

    private static ValueTask<RoomNotification?> InvokeImmediateAsync<THandler, TEvent>(
        IServiceProvider services, WebhookEvent webhook, WebhookContext context, CancellationToken cancellationToken)
        where THandler : IImmediateWebhookHandler<TEvent>
        where TEvent : WebhookEvent, IWebhookEvent =>
        Resolve<THandler>(services).HandleAsync((TEvent)webhook, context, cancellationToken);

    private static T Resolve<T>(IServiceProvider services) =>
        (T?)services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered.");

    [GeneratedRegex(@"^[a-zA-Z0-9_\-\.]+\z")]
    private static partial Regex KeyFormat();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex ModuleNameFormat();
}

/// <summary>A capability was declared wrongly; the add-on refuses to start and names the culprit.</summary>
public sealed class AddonDeclarationException(string culprit, string reason)
    : Exception($"The add-on capability '{culprit}' cannot be declared: {reason}");
