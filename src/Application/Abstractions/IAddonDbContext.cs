using Microsoft.EntityFrameworkCore;

namespace CleanAddon.Application.Abstractions;

/// <summary>
/// A module's own state, as EF Core sets of the entities it declared with <c>addon.State&lt;TEntity, TConfiguration&gt;()</c>.
/// The framework's unit of work around a handler, page action or lifecycle event saves the changes together with the
/// calls to HipChat it queued, or neither: handlers never save. The framework's own tables are not reachable here.
/// </summary>
public interface IAddonDbContext
{
    /// <summary>The set of a declared state entity; any other type is refused.</summary>
    DbSet<TEntity> Set<TEntity>()
        where TEntity : class;
}
