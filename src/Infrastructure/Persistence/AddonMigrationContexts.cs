namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// What a migration's <c>[DbContext]</c> attribute names for SQLite, in place of the framework's own (internal)
/// context, so that a module's migrations compile in any project that references the framework. The migration
/// script writes it (scripts/add-migration.sh).
/// </summary>
public static class AddonSqliteMigrations;

/// <summary>The PostgreSQL counterpart of <see cref="AddonSqliteMigrations"/>.</summary>
public static class AddonPostgresMigrations;
