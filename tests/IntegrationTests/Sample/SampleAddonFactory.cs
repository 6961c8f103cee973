using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Sample;

/// <summary>The add-on as Program.cs registers it, the sample add-on included: the fixture of the sample's own suites.</summary>
public sealed class SampleAddonFactory<TDatabase> : AddonApiFactory<TDatabase>
    where TDatabase : ITestDatabase
{
    protected override void AddModules(IServiceCollection services)
    {
    }
}

/// <summary>The sample add-on whose descriptor announces its real <c>localhost</c> address (for the playground).</summary>
public sealed class SampleAnnouncedAddonFactory<TDatabase> : AnnouncedAddonFactory<TDatabase>
    where TDatabase : ITestDatabase
{
    protected override void AddModules(IServiceCollection services)
    {
    }
}
