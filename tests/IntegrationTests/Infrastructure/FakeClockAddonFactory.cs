using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>The add-on on a clock that stands still until the test moves it.</summary>
public sealed class FakeClockAddonFactory<TDatabase> : AddonApiFactory<TDatabase>
    where TDatabase : ITestDatabase
{
    public FakeTimeProvider Clock { get; } = new PooledTimerClock(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>
    /// Fires timers on the thread pool, as the system clock does. <see cref="FakeTimeProvider"/> fires them on the
    /// thread that moves it, once per period passed: the add-on's 5-second queue count then ran inline, 225,000 times
    /// on SQLite (whose I/O never yields), for a test moving the clock 13 days; from the pool, the ticks of one move
    /// fold into one, as with the real clock.
    /// </summary>
    private sealed class PooledTimerClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(
                s => ThreadPool.UnsafeQueueUserWorkItem(fired => callback(fired), s, preferLocal: false), state, dueTime, period);
    }
}
