using Microsoft.EntityFrameworkCore;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>
/// What a migration's <c>[DbContext]</c> attribute names for SQLite, in place of the framework's own (internal)
/// context, so that a module's migrations compile in any project that references the framework. The migration
/// script writes it (scripts/add-migration.sh). It derives <see cref="DbContext"/> only because the EF Core tools
/// list every type a migration names as a context (and fail on one that is not); it cannot be derived outside the
/// framework nor created.
/// </summary>
public abstract class AddonSqliteMigrations : DbContext
{
    private protected AddonSqliteMigrations()
    {
    }
}

/// <summary>The PostgreSQL counterpart of <see cref="AddonSqliteMigrations"/>.</summary>
public abstract class AddonPostgresMigrations : DbContext
{
    private protected AddonPostgresMigrations()
    {
    }
}
