using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Operability;

public abstract class TelemetryTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_trace_runs_from_the_inbound_webhook_through_the_queue_and_outbox_to_the_hipchat_call()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var installation = factory.HipChat.CreateInstallation(roomId: 1201);
        await _client.InstallAsync(installation);
        using var request = new HttpRequestMessage(HttpMethod.Post, AddonClient.RoomMessageWebhook)
        {
            Content = JsonContent.Create(HipChatWebhooks.RoomMessage(installation, 1201, "traced")),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", HipChatServer.SignJwt(installation, 1201));
        using (new Activity("HipChat delivers a webhook")
            .SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            (await _client.SendAsync(request, Cancellation)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        await factory.HipChat.WaitForDeliveryAsync(1201, "echo traced");
        // The delivery span ends after the outcome is recorded, a moment after the HipChat call's span.
        await WaitAsync(() => spans.Any(IsNotificationCall) && spans.Any(s => s.DisplayName == "outbox room-notification"));
        var names = spans.Select(s => $"{s.Source.Name}: {s.DisplayName}").ToList();
        names.Should().Contain("CleanAddon: outbox webhook").And.Contain("CleanAddon: outbox room-notification");
        spans.Should().Contain(s => IsNotificationCall(s), "the HipChat call belongs to the webhook's trace");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_http_surface()
    {
        var document = await _client.GetFromJsonAsync<JsonObject>("/openapi/v1.json", Cancellation);

        document!["paths"]!.AsObject().Select(p => p.Key).Should().Contain(
            ["/capabilities.json", "/installed", "/installed/update", "/uninstalled", "/webhooks/{key}", "/glances/{key}",
             "/pages/{key}", "/post-card", "/settings"]);
    }

    private static bool IsNotificationCall(Activity span) =>
        span.Source.Name == "System.Net.Http"
        && (span.GetTagItem("url.full") as string)?.Contains("/room/1201/notification", StringComparison.Ordinal) == true;

    private static async Task WaitAsync(Func<bool> done, [CallerArgumentExpression(nameof(done))] string expected = "")
    {
        var deadline = DateTimeOffset.UtcNow + Deliveries.Timeout;
        while (!done())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Deliveries.Timeout.TotalSeconds} s for {expected}.");
            }

            await Task.Delay(50, Cancellation);
        }
    }
}

public sealed class PostgresTelemetryTests(AddonApiFactory<Postgres> factory)
    : TelemetryTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteTelemetryTests(AddonApiFactory<Sqlite> factory)
    : TelemetryTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
