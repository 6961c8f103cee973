using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Operability;

public sealed class TelemetryTests(AddonApiFactory factory) : IClassFixture<AddonApiFactory>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(15);
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

        await factory.HipChat.WaitForAsync("/room/1201/notification", c => c.Count >= 1, Delivery);
        // The delivery span ends after the outcome is recorded, a moment after the HipChat call's span.
        await WaitAsync(() => spans.Any(IsNotificationCall) && spans.Any(s => s.DisplayName == "outbox room-notification"));
        var names = spans.Select(s => $"{s.Source.Name}: {s.DisplayName}").ToList();
        names.Should().Contain("CleanAddon: outbox webhook").And.Contain("CleanAddon: outbox room-notification");
        spans.Should().Contain(s => IsNotificationCall(s), "the HipChat call belongs to the webhook's trace");
    }

    [Fact]
    public async Task Webhooks_refused_are_counted_by_reason_and_the_outbox_depth_is_published()
    {
        var rejected = new ConcurrentQueue<string>();
        var depths = new ConcurrentQueue<long>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CleanAddon")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "cleanaddon.webhooks.rejected")
            {
                foreach (var tag in tags)
                {
                    rejected.Enqueue($"{tag.Key}={tag.Value}");
                }
            }
            else if (instrument.Name == "cleanaddon.outbox.depth")
            {
                depths.Enqueue(value);
            }
        });
        meters.Start();
        var installation = factory.HipChat.CreateInstallation(roomId: 1202);

        var response = await _client.SendWebhookAsync(
            HipChatWebhooks.RoomMessage(installation, 1202, "not installed"), HipChatServer.SignJwt(installation, 1202));
        meters.RecordObservableInstruments();

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        rejected.Should().Contain("reason=unauthenticated");
        depths.Should().NotBeEmpty().And.OnlyContain(depth => depth >= 0);
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

    private static async Task WaitAsync(Func<bool> done)
    {
        using var deadline = new CancellationTokenSource(Delivery);
        while (!done() && !deadline.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
