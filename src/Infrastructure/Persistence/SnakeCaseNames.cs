using System.Text;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>snake_case columns, so hand-written SQL (the outbox claim) reads the same on both providers.</summary>
internal static class SnakeCaseNames
{
    /// <summary>A module's table is named after its module and entity (<c>sample_room_activity</c>): no two modules collide.</summary>
    public static string ModuleTable(string module, Type entityType) =>
        $"{module.Replace('-', '_')}_{ToSnakeCase(entityType.Name)}";

    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    private static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
