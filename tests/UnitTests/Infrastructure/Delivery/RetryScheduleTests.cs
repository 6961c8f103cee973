using CleanAddon.Infrastructure.Delivery;

namespace CleanAddon.UnitTests.Infrastructure.Delivery;

public sealed class RetryScheduleTests
{
    private const double NoJitter = 0.5;
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Precision = TimeSpan.FromMilliseconds(1);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(9, 256)]
    public void The_delay_doubles_with_every_attempt(int attempt, int seconds)
    {
        var delay = RetrySchedule.Delay(attempt, First, Max, NoJitter);

        delay.Should().BeCloseTo(TimeSpan.FromSeconds(seconds), Precision);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(31)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void The_delay_stops_growing_at_the_maximum(int attempt)
    {
        var delay = RetrySchedule.Delay(attempt, First, Max, NoJitter);

        delay.Should().BeCloseTo(Max, Precision);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void An_attempt_below_the_first_waits_the_first_delay(int attempt)
    {
        RetrySchedule.Delay(attempt, First, Max, NoJitter).Should().BeCloseTo(First, Precision);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(20, 300)]
    public void Jitter_keeps_the_delay_within_twenty_percent_of_the_nominal_delay(int attempt, int nominalSeconds)
    {
        var nominal = TimeSpan.FromSeconds(nominalSeconds);

        var shortest = RetrySchedule.Delay(attempt, First, Max, 0.0);
        var longest = RetrySchedule.Delay(attempt, First, Max, 0.999_999);

        shortest.Should().BeCloseTo(nominal * 0.8, Precision);
        longest.Should().BeLessThan(nominal * 1.2).And.BeCloseTo(nominal * 1.2, TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void Different_random_draws_spread_the_delays()
    {
        var early = RetrySchedule.Delay(3, First, Max, 0.25);
        var late = RetrySchedule.Delay(3, First, Max, 0.75);

        early.Should().BeCloseTo(TimeSpan.FromSeconds(3.6), Precision);
        late.Should().BeCloseTo(TimeSpan.FromSeconds(4.4), Precision);
    }
}
