using CleanAddon.Application.DeadLetters;
using CleanAddon.IntegrationTests.Infrastructure;
using CleanAddon.IntegrationTests.Operability;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Intake;

/// <summary>
/// An installation whose HipChat stopped taking its calls cannot queue work without end. The overflow counter is
/// process-wide, so these tests run alone (<see cref="ProcessWideMetrics"/>).
/// </summary>
public abstract class QueueCapTests(AddonApiFactory factory)
{
    private const long Room = 73;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Webhooks_beyond_the_installations_queue_cap_are_dead_lettered_logged_and_counted_not_dropped()
    {
        using var measurements = new AddonMeasurements();
        var installation = await factory.InstallAsync(Room);

        // HipChat refuses the room's calls for now, so the first echo waits and everything after it queues up.
        factory.HipChat.InjectFault(Deliveries.NotificationPath(Room), 503, times: 1000);
        foreach (var i in Enumerable.Range(1, 5))
        {
            await factory.SendAsync(installation, Room, $"overflow {i}");
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var deadLetters = await scope.ServiceProvider.GetRequiredService<ISender>()
            .Send(new GetDeadLettersQuery(installation.OAuthId), Cancellation);
        var notHandled = deadLetters
            .Where(d => d.Queue == DeadLetterKind.Webhook
                && d.LastError!.Contains("Intake:MaxQueuedPerInstallation", StringComparison.Ordinal))
            .Select(d => d.Id)
            .ToList();
        notHandled.Should().HaveCountGreaterThanOrEqualTo(2, "the queue holds two, and nothing drains while HipChat refuses");
        var payloads = await factory.WithDbAsync(db =>
            db.WebhookJobs.Where(j => notHandled.Contains(j.Id)).Select(j => j.EventJson).ToListAsync(Cancellation));
        payloads.Should().Contain(p => p.Contains("overflow 4", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("overflow 5", StringComparison.Ordinal));
        measurements.Sum("cleanaddon.webhooks.overflowed").Should().Be(notHandled.Count);
        factory.Logs.Entries.Count(e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("recorded as a dead letter", StringComparison.Ordinal))
            .Should().Be(notHandled.Count);
    }

    /// <summary>Two messages per installation, and a refused call waits ten minutes before its retry.</summary>
    public sealed class SmallQueueFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Intake:MaxQueuedPerInstallation"] = "2",
            ["Outbox:FirstRetryDelay"] = "00:10:00",
            ["Outbox:MaxRetryDelay"] = "00:10:00",
        };
    }
}

[Collection(ProcessWideMetrics.Name)]
public sealed class PostgresQueueCapTests(QueueCapTests.SmallQueueFactory<Postgres> factory)
    : QueueCapTests(factory), IClassFixture<QueueCapTests.SmallQueueFactory<Postgres>>;

[Collection(ProcessWideMetrics.Name)]
public sealed class SqliteQueueCapTests(QueueCapTests.SmallQueueFactory<Sqlite> factory)
    : QueueCapTests(factory), IClassFixture<QueueCapTests.SmallQueueFactory<Sqlite>>;
