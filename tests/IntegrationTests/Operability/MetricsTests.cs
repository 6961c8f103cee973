using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Notifications;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Operability;

/// <summary>
/// The add-on's metrics are process-wide (one meter, one gauge value), so these tests run alone, after every
/// parallel test class, and judge exactly what was measured while they ran.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetrics
{
    public const string Name = "Process-wide metrics";
}

public abstract class MetricsTests(AddonApiFactory factory)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_queue_gauges_count_the_calls_waiting_while_hipchat_fails_and_age_the_oldest()
    {
        const int waiting = 5;
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        factory.HipChat.InjectFault(Deliveries.NotificationPath(room), 503);
        using var measurements = new AddonMeasurements();

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<IHipChatOutbox>();
            for (var i = 0; i < waiting; i++)
            {
                outbox.SendRoomNotification(installation.OAuthId, room, new RoomNotification($"waiting {i}"));
            }

            await scope.ServiceProvider.GetRequiredService<IAddonStore>().SaveChangesAsync(Cancellation);
        }

        await factory.HipChat.WaitForAsync(Deliveries.NotificationPath(room), calls => calls.Any(c => c.Status == 503), Deliveries.Timeout);
        var depth = await ObserveAsync(measurements, "cleanaddon.queue.depth", "queue=calls", value => value == waiting);

        depth.Should().Be(waiting, "the first message waits for its retry, the others behind it in their room");
        (await factory.PendingAsync(installation.OAuthId)).Should().Be(waiting);
        (await ObserveAsync(measurements, "cleanaddon.queue.oldest_age", "queue=calls", seconds => seconds >= 1))
            .Should().BeGreaterThanOrEqualTo(1, "the oldest call has waited since before HipChat's first 503");
    }

    [Fact]
    public async Task Webhooks_are_counted_once_each_accepted_or_refused_by_reason()
    {
        var installation = await factory.InstallAsync(room: 1202);
        var stranger = factory.HipChat.CreateInstallation(roomId: 1202);
        using var measurements = new AddonMeasurements();
        using var client = factory.CreateAddonClient();

        var accepted = await client.SendRoomMessageAsync(installation, 1202, "counted");
        var unauthenticated = await client.SendRoomMessageAsync(stranger, 1202, "not installed");
        var forbidden = await client.SendWebhookAsync(
            HipChatWebhooks.RoomMessage(installation, 1203, "another room"), HipChatServer.SignJwt(installation, 1202));
        var notJson = await SendTextAsync(client, HipChatServer.SignJwt(installation, 1202));

        new[] { accepted, unauthenticated, forbidden, notJson }.Select(r => r.StatusCode).Should().Equal(
            HttpStatusCode.NoContent, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden,
            HttpStatusCode.UnsupportedMediaType);
        measurements.Sum("cleanaddon.webhooks.accepted").Should().Be(1);
        measurements.Recorded.Where(m => m.Instrument == "cleanaddon.webhooks.rejected").Select(m => $"{m.Tags}={m.Value}")
            .Should().BeEquivalentTo("reason=unauthenticated=1", "reason=forbidden=1", "reason=not-json=1");

        // The accepted webhook's work is left done, so that it is not measured by the tests after this one.
        await factory.WaitUntilSettledAsync(installation.OAuthId);
    }

    [Fact]
    public async Task Each_queued_item_worked_is_counted_by_queue_kind_and_outcome()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        using var measurements = new AddonMeasurements();

        await factory.SendAsync(installation, room, "worked");
        await factory.SettleRoomAsync(installation, room);
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        // A webhook is counted just after its unit of work commits, which may be after its calls were delivered.
        await Polling.UntilAsync(
            () => Task.FromResult(measurements.Sum("cleanaddon.queue.attempts", "queue=webhooks,kind=echo,outcome=Handled") >= 2),
            true);

        var attempts = measurements.Recorded.Where(m => m.Instrument == "cleanaddon.queue.attempts").ToList();
        attempts.Where(m => m.Tags == "queue=webhooks,kind=echo,outcome=Handled").Sum(m => m.Value)
            .Should().Be(2, "the message and the marker were each handled once");
        attempts.Where(m => m.Tags == "queue=calls,kind=RoomNotification,outcome=Delivered").Sum(m => m.Value).Should().Be(2);
        var glanceUpdates = (await factory.HipChat.GlanceCountsUntilAsync(room, 2)).Count;
        attempts.Where(m => m.Tags == "queue=calls,kind=GlanceUpdate,outcome=Delivered").Sum(m => m.Value)
            .Should().Be(glanceUpdates, "one or two: the marker's update replaces the message's when one unit of work handles both");
    }

    /// <summary>
    /// Reads a gauge (its measurement tagged <paramref name="tags"/>) until it shows what <paramref name="expected"/>
    /// wants; the queues are counted every few seconds.
    /// </summary>
    private static async Task<long> ObserveAsync(
        AddonMeasurements measurements, string gauge, string tags, Func<long, bool> expected)
    {
        var deadline = DateTimeOffset.UtcNow + Deliveries.Timeout;
        while (true)
        {
            measurements.RecordObservableInstruments();
            var last = measurements.Recorded.LastOrDefault(m => m.Instrument == gauge && m.Tags == tags);
            if (last is not null && expected(last.Value))
            {
                return last.Value;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{gauge} never showed the expected value; last seen: {last?.Value}.");
            }

            await Task.Delay(200, Cancellation);
        }
    }

    private static Task<HttpResponseMessage> SendTextAsync(HttpClient client, string jwt)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, AddonClient.RoomMessageWebhook)
        {
            Content = new StringContent("hello", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", jwt);
        return client.SendAsync(request, Cancellation);
    }

    /// <summary>A failed call is tried again only minutes later, so what waits in the queue stays put while it is measured.</summary>
    public sealed class SlowRetryFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Outbox:FirstRetryDelay"] = "00:05:00",
            ["Outbox:MaxRetryDelay"] = "00:10:00",
        };
    }
}

[Collection(ProcessWideMetrics.Name)]
public sealed class PostgresMetricsTests(MetricsTests.SlowRetryFactory<Postgres> factory)
    : MetricsTests(factory), IClassFixture<MetricsTests.SlowRetryFactory<Postgres>>;

[Collection(ProcessWideMetrics.Name)]
public sealed class SqliteMetricsTests(MetricsTests.SlowRetryFactory<Sqlite> factory)
    : MetricsTests(factory), IClassFixture<MetricsTests.SlowRetryFactory<Sqlite>>;
