using System.Reflection;

namespace CleanAddon.UnitTests;

public sealed class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(CleanAddon.Domain.DomainRuleException).Assembly;
    private static readonly Assembly Application = typeof(CleanAddon.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(CleanAddon.Infrastructure.DependencyInjection).Assembly;

    [Fact]
    public void The_domain_references_the_base_class_library_only()
    {
        var references = ReferencesOf(Domain);

        references.Should().NotBeEmpty()
            .And.OnlyContain(name => name.StartsWith("System", StringComparison.Ordinal)
                || name == "netstandard" || name == "mscorlib");
    }

    [Fact]
    public void The_application_references_the_domain_and_neither_outer_layers_nor_asp_net_core()
    {
        var references = ReferencesOf(Application);

        references.Should().Contain("CleanAddon.Domain");
        references.Should().NotContain(name =>
            name == "CleanAddon.Infrastructure"
            || name == "CleanAddon.Api"
            || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    // docs/adr/0001-data-access.md: modules keep their state with EF Core's own API; SQL and providers stay outside.
    [Fact]
    public void The_application_uses_ef_core_s_own_api_and_neither_its_relational_layer_nor_a_provider()
    {
        var references = ReferencesOf(Application);

        references.Should().Contain("Microsoft.EntityFrameworkCore");
        references.Should().NotContain(name =>
            name.StartsWith("Microsoft.EntityFrameworkCore.", StringComparison.Ordinal)
            && name != "Microsoft.EntityFrameworkCore.Abstractions");
        references.Should().NotContain(name => name.StartsWith("Npgsql", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal));
    }

    [Fact]
    public void The_infrastructure_does_not_reference_the_api()
    {
        var references = ReferencesOf(Infrastructure);

        references.Should().Contain("CleanAddon.Application");
        references.Should().NotContain("CleanAddon.Api");
    }

    private static string[] ReferencesOf(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(reference => reference.Name!)];
}
