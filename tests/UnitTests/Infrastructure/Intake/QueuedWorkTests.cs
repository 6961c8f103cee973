using CleanAddon.Infrastructure.Intake;

namespace CleanAddon.UnitTests.Infrastructure.Intake;

public sealed class QueuedWorkTests
{
    [Fact]
    public void An_installation_is_refused_once_it_has_as_much_waiting_as_the_cap_and_others_are_not()
    {
        var queued = new QueuedWork();

        var accepted = Enumerable.Range(0, 5).Select(_ => queued.TryAdd("noisy", cap: 3)).ToList();

        accepted.Should().Equal(true, true, true, false, false);
        queued.TryAdd("quiet", cap: 3).Should().BeTrue();
    }

    [Fact]
    public void The_counts_read_from_the_database_replace_the_ones_kept_in_memory()
    {
        var queued = new QueuedWork();
        queued.TryAdd("drained", cap: 1);
        queued.TryAdd("busy", cap: 10);

        queued.Reset(new Dictionary<string, int> { ["busy"] = 10 });

        queued.TryAdd("drained", cap: 1).Should().BeTrue();
        queued.TryAdd("busy", cap: 10).Should().BeFalse();
    }
}
