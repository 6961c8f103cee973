using CleanAddon.Application.Extensibility;
using Microsoft.AspNetCore.Components;

namespace CleanAddon.Api.Pages;

/// <summary>
/// Declares views by their Razor component,
/// <c>addon.WebPanel&lt;SidebarPanel&gt;("sample-sidebar", "Echo sidebar")</c>.
/// The component renders only the view's content; the framework wraps it in the page HipChat expects (all.js, AUI,
/// the CSP and js/hipchat-addon.js) and cascades a <see cref="PageContext"/> to it.
/// </summary>
public static class PageViews
{
    /// <summary>A view in HipChat's right sidebar.</summary>
    public static AddonModulesBuilder WebPanel<TComponent>(this AddonModulesBuilder addon, string key, string name)
        where TComponent : IComponent =>
        addon.WebPanel(typeof(TComponent), key, name);

    /// <summary>A modal dialog, opened by a glance, an action or <c>HipChat.dialog.open</c>.</summary>
    public static AddonModulesBuilder Dialog<TComponent>(
        this AddonModulesBuilder addon, string key, string title, DialogOptions? options = null)
        where TComponent : IComponent =>
        addon.Dialog(typeof(TComponent), key, title, options);

    /// <summary>The configure page admins open from HipChat's integrations page.</summary>
    public static AddonModulesBuilder Configurable<TComponent>(this AddonModulesBuilder addon, string key = "configure")
        where TComponent : IComponent =>
        addon.Configurable(typeof(TComponent), key);

    /// <summary>Refuses a view whose type is not a component (the Type overloads cannot check it).</summary>
    internal static void Check(AddonModules modules)
    {
        foreach (var page in modules.Pages.Where(p =>
            !typeof(IComponent).IsAssignableFrom(p.ViewType) || p.ViewType.IsAbstract))
        {
            throw new AddonDeclarationException(
                page.Key, $"its view {page.ViewType.FullName} is not a Razor component (a concrete IComponent).");
        }
    }
}
