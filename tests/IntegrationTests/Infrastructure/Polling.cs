namespace CleanAddon.IntegrationTests.Infrastructure;

internal static class Polling
{
    /// <summary>Asks until the answer is <paramref name="expected"/>; after 30 s, fails with every answer it had.</summary>
    public static async Task UntilAsync<T>(Func<Task<T>> probe, T expected)
    {
        var seen = new List<T>();
        var deadline = DateTimeOffset.UtcNow + Deliveries.Timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var answer = await probe();
            if (EqualityComparer<T>.Default.Equals(answer, expected))
            {
                return;
            }

            seen.Add(answer);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var runs = seen.Aggregate(
            new List<(T Answer, int Count)>(),
            (list, answer) =>
            {
                if (list.Count > 0 && EqualityComparer<T>.Default.Equals(list[^1].Answer, answer))
                {
                    list[^1] = (answer, list[^1].Count + 1);
                }
                else
                {
                    list.Add((answer, 1));
                }

                return list;
            });
        throw new TimeoutException(
            $"Expected {expected} within {Deliveries.Timeout.TotalSeconds} s; got {string.Join(", ", runs.Select(r => $"{r.Answer} × {r.Count}"))}.");
    }
}
