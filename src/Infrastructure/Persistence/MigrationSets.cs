using System.Globalization;
using System.Reflection;
using CleanAddon.Application.Extensibility;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Migrations.Internal;
using Microsoft.Extensions.DependencyInjection;

#pragma warning disable EF1001 // MigrationsAssembly and MigrationsScaffolder are EF Core's own, subclassed to filter by set.

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// One database, several sets of migrations (docs/adr/0001-data-access.md): the framework's, and one per module that
/// keeps state. A set's migrations and model snapshot live in its own namespace,
/// <c>{assembly}.{Module}.Migrations.{Provider}</c> (the framework's: <c>CleanAddon.Infrastructure.Persistence.Migrations.{Provider}</c>),
/// its history in its own table, and the model it is generated from holds only its own entities. Deleting a module
/// therefore leaves every other set consistent.
/// </summary>
internal static class MigrationSets
{
    /// <summary>The set a design-time tool generates migrations for (scripts/add-migration.sh); never set at run time.</summary>
    public const string SetKey = "Database:MigrationSet";

    public static string HistoryTable(string? set) =>
        set is null or AddonModules.FrameworkSet ? "__EFMigrationsHistory" : $"__EFMigrationsHistory_{set.Replace('-', '_')}";

    /// <summary>The namespace of a set's migrations for a provider ("Sqlite" or "Postgres").</summary>
    public static string Namespace(string set, Assembly assembly, string provider) =>
        set == AddonModules.FrameworkSet
            ? $"CleanAddon.Infrastructure.Persistence.Migrations.{provider}"
            : $"{assembly.GetName().Name}.{Pascal(set)}.Migrations.{provider}";

    /// <summary>Marks options as those of one migration set; the context then models that set's entities only.</summary>
    public static DbContextOptionsBuilder ForSet(this DbContextOptionsBuilder options, string set)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new MigrationSetExtension(set));
        return options;
    }

    public static string? SetOf(IDbContextOptions options) => options.FindExtension<MigrationSetExtension>()?.Set;

    /// <summary>The provider's name as migrations folders and namespaces spell it.</summary>
    public static string ProviderOf(DbContext context) => context is SqliteAddonDbContext ? "Sqlite" : "Postgres";

    /// <summary>The public type a migration names for the context's provider (<see cref="AddonSqliteMigrations"/>).</summary>
    public static Type StandIn(DbContext context) =>
        context is SqliteAddonDbContext ? typeof(AddonSqliteMigrations) : typeof(AddonPostgresMigrations);

    public static string Pascal(string set) => string.Concat(set.Split('-').Select(part =>
        part.Length == 0 ? part : char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..]));
}

/// <summary>Carries the migration set in the context's options, so that it is part of the model's cache key.</summary>
internal sealed class MigrationSetExtension(string set) : IDbContextOptionsExtension
{
    public string Set { get; } = set;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(MigrationSetExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => $"MigrationSet={extension.Set} ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["CleanAddon:MigrationSet"] = extension.Set;
    }
}

/// <summary>Shows EF Core only the migrations and snapshot of the context's set, found by their namespace.</summary>
internal sealed class SetMigrationsAssembly : MigrationsAssembly
{
    private readonly ICurrentDbContext _currentContext;
    private readonly IDbContextOptions _options;
    private string? _namespace;

    public SetMigrationsAssembly(
        ICurrentDbContext currentContext,
        IDbContextOptions options,
        IMigrationsIdGenerator idGenerator,
        IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
        : base(currentContext, options, idGenerator, logger)
    {
        _currentContext = currentContext;
        _options = options;
    }

    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private ModelSnapshot? _snapshot;
    private bool _snapshotSearched;

    /// <summary>The set's migrations, in order, whether they name the provider context or its public stand-in.</summary>
    public override IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations ??= new SortedList<string, TypeInfo>(
        LoadableTypes(Assembly)
            .Where(type => !type.IsAbstract && type.IsSubclassOf(typeof(Migration)) && IsOfThisSet(type))
            .Select(type => (Id: type.GetCustomAttribute<MigrationAttribute>()?.Id, Type: type))
            .Where(migration => migration.Id is not null)
            .ToDictionary(migration => migration.Id!, migration => migration.Type),
        StringComparer.Ordinal);

    public override ModelSnapshot? ModelSnapshot
    {
        get
        {
            if (!_snapshotSearched)
            {
                _snapshotSearched = true;
                var type = LoadableTypes(Assembly).FirstOrDefault(type => !type.IsAbstract
                    && type.IsSubclassOf(typeof(ModelSnapshot)) && IsOfThisSet(type));
                _snapshot = type is null ? null : (ModelSnapshot)Activator.CreateInstance(type.AsType())!;
            }

            return _snapshot;
        }
    }

    private bool IsOfThisSet(TypeInfo type) =>
        type.Namespace == CurrentNamespace
        && type.GetCustomAttribute<DbContextAttribute>()?.ContextType is { } context
        && (context == _currentContext.Context.GetType() || context == MigrationSets.StandIn(_currentContext.Context));

    private string CurrentNamespace => _namespace ??= MigrationSets.Namespace(
        MigrationSets.SetOf(_options) ?? AddonModules.FrameworkSet, Assembly, MigrationSets.ProviderOf(_currentContext.Context));

    /// <summary>
    /// The assembly's types that load: a published add-on lacks EF Core's design-time package, so the design-time
    /// services class in it cannot load (EF Core's own search skips such types the same way).
    /// </summary>
    private static IEnumerable<TypeInfo> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.DefinedTypes;
        }
        catch (ReflectionTypeLoadException exception)
        {
            return exception.Types.OfType<Type>().Select(type => type.GetTypeInfo());
        }
    }
}

/// <summary>
/// Design time only: names each snapshot after its set and provider (<c>SampleSqliteModelSnapshot</c>), because EF
/// Core finds an existing snapshot by its file name and would otherwise overwrite one set's (or provider's) with
/// another's; and names the provider's public stand-in as the context, so that the migrations compile outside the
/// framework.
/// </summary>
internal sealed class SetMigrationsScaffolder(MigrationsScaffolderDependencies dependencies)
    : MigrationsScaffolder(dependencies)
{
    private readonly MigrationsScaffolderDependencies _dependencies = dependencies;

    public override ScaffoldedMigration ScaffoldMigration(
        string migrationName, string? rootNamespace, string? subNamespace = null, string? language = null, bool dryRun = false)
    {
        var migration = base.ScaffoldMigration(migrationName, rootNamespace, subNamespace, language, dryRun);
        var set = MigrationSets.SetOf(_dependencies.CurrentContext.Context.GetService<IDbContextOptions>())
            ?? AddonModules.FrameworkSet;
        var context = _dependencies.CurrentContext.Context;
        var name = MigrationSets.Pascal(set) + MigrationSets.ProviderOf(context) + "ModelSnapshot";
        var contextType = $"typeof({context.GetType().Name})";
        var standIn = $"typeof({MigrationSets.StandIn(context).Name})";
        return new ScaffoldedMigration(
            migration.FileExtension,
            migration.PreviousMigrationId,
            migration.MigrationCode,
            migration.MigrationId,
            migration.MetadataCode.Replace(contextType, standIn, StringComparison.Ordinal),
            migration.MigrationSubNamespace,
            migration.SnapshotCode
                .Replace($"class {migration.SnapshotName} ", $"class {name} ", StringComparison.Ordinal)
                .Replace(contextType, standIn, StringComparison.Ordinal),
            name,
            migration.SnapshotSubnamespace);
    }
}

/// <summary>Found by the EF Core tools in the context's assembly.</summary>
internal sealed class AddonDesignTimeServices : IDesignTimeServices
{
    public void ConfigureDesignTimeServices(IServiceCollection serviceCollection) =>
        serviceCollection.AddScoped<IMigrationsScaffolder, SetMigrationsScaffolder>();
}
