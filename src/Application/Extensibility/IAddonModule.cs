using System.Reflection;

namespace CleanAddon.Application.Extensibility;

/// <summary>
/// An add-on module: a set of capabilities, declared together and registered with one line,
/// <c>services.AddAddonModule&lt;StandupModule&gt;()</c>. The sample add-on is one; a team's add-on is one or more.
/// </summary>
public interface IAddonModule
{
    /// <summary>
    /// 1 to 30 lower-case letters, digits and '-', unique among the modules: it names the module's migrations (and
    /// their history table), so it must not change once a database has them.
    /// </summary>
    string Name { get; }

    /// <summary>Where the module's migrations are compiled; null for the framework's Infrastructure assembly.</summary>
    Assembly? MigrationsAssembly => null;

    void Declare(AddonModulesBuilder addon);
}

/// <summary>
/// An entity of a module's state that belongs to one installation: when the installation is uninstalled, its rows go
/// with it, in the same transaction.
/// </summary>
public interface IInstallationOwned
{
    string OAuthId { get; }
}
