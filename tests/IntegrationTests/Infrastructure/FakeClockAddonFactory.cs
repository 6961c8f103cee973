using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>The add-on on a clock that stands still until the test moves it.</summary>
public sealed class FakeClockAddonFactory<TDatabase> : AddonApiFactory<TDatabase>
    where TDatabase : ITestDatabase
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
