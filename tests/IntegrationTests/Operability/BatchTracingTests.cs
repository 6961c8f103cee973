using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Operability;

/// <summary>
/// Webhooks that wait together are handled together, in one unit of work; each still continues its own trace, from
/// HipChat's request through its handler to the HipChat call it caused.
/// </summary>
public abstract class BatchTracingTests(DatabaseProvider provider) : IAsyncLifetime
{
    private HipChatServer _hipChat = null!;
    private string _database = "";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _hipChat = await HipChatServer.StartAsync(cancellationToken: Cancellation);
        _database = await TestDatabase.CreateAsync(provider);
    }

    public async ValueTask DisposeAsync()
    {
        await _hipChat.DisposeAsync();
        TestDatabase.Release(provider, _database);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Each_webhook_handled_in_a_batch_continues_its_own_trace_to_its_hipchat_call()
    {
        var room = Deliveries.NewRoom();
        var calls = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((activity.GetTagItem("url.full") as string)?.Contains($"/room/{room}/notification", StringComparison.Ordinal) == true)
                {
                    calls.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // A web-only instance accepts them all, so that the worker finds them waiting together and claims them as one.
        await using var web = await AddonApiFactory.StartSharingAsync(
            provider, _database, _hipChat, new Dictionary<string, string> { ["Worker:Enabled"] = "false" });
        var installation = await web.InstallAsync(room);
        var traces = new List<ActivityTraceId>();
        using var client = web.CreateAddonClient();
        foreach (var i in Enumerable.Range(1, 3))
        {
            var trace = ActivityTraceId.CreateRandom();
            traces.Add(trace);
            using var request = new HttpRequestMessage(HttpMethod.Post, AddonClient.RoomMessageWebhook)
            {
                Content = JsonContent.Create(HipChatWebhooks.RoomMessage(installation, room, $"traced {i}")),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("JWT", HipChatServer.SignJwt(installation, room));
            using (new Activity("HipChat delivers a webhook").SetParentId(trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
            {
                (await client.SendAsync(request, Cancellation)).StatusCode.Should().Be(HttpStatusCode.NoContent);
            }
        }

        await using var worker = await AddonApiFactory.StartSharingAsync(provider, _database, _hipChat);
        await worker.SettleRoomAsync(installation, room);

        calls.Select(call => call.TraceId).Should().Contain(traces, "the call each webhook caused belongs to that webhook's trace");
    }
}

public sealed class PostgresBatchTracingTests() : BatchTracingTests(DatabaseProvider.Postgres);

public sealed class SqliteBatchTracingTests() : BatchTracingTests(DatabaseProvider.Sqlite);
