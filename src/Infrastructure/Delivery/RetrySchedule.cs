namespace CleanAddon.Infrastructure.Delivery;

/// <summary>Exponential backoff with ±20 % jitter, so instances retrying a failed HipChat do not stampede together.</summary>
internal static class RetrySchedule
{
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max, double random)
    {
        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * random)));
    }
}
