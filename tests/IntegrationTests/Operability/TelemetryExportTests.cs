using System.Collections.Concurrent;
using System.Text;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanAddon.IntegrationTests.Operability;

/// <summary>
/// What leaves the process when an operator sets <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: the add-on exports to a real
/// OTLP/HTTP endpoint here, and no span or log record it sends carries a JWT HipChat signed.
/// </summary>
public abstract class TelemetryExportTests(DatabaseProvider provider)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_exported_span_or_log_carries_a_jwt_from_a_header_or_a_signed_request()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var addon = new ExportingAddonFactory(provider, collector.Endpoint);
        await addon.InitializeAsync();
        var room = Deliveries.NewRoom();
        var installation = await addon.InstallAsync(room);
        var webhookJwt = HipChatServer.SignJwt(installation, room);
        var glanceJwt = HipChatServer.SignJwt(installation, room);
        var pageJwt = HipChatServer.SignJwt(installation, room);
        using var client = addon.CreateAddonClient();

        try
        {
            addon.HipChat.InjectFault(Deliveries.NotificationPath(room), 503);
            (await client.SendRoomMessageAsync(installation, room, "exported", webhookJwt)).EnsureSuccessStatusCode();
            await addon.HipChat.WaitForDeliveryAsync(room, "echo exported");
            (await client.GetAsync($"{AddonClient.Glance}?signed_request={glanceJwt}", Cancellation)).EnsureSuccessStatusCode();
            (await client.GetAsync($"/pages/sample-sidebar?signed_request={pageJwt}", Cancellation)).EnsureSuccessStatusCode();
            await client.GetAsync($"{AddonClient.Glance}?signed_request={pageJwt[..^4]}AAAA", Cancellation);
        }
        finally
        {
            // Stopping the add-on flushes every exporter; the last exports may land just after it returned.
            await addon.DisposeAsync();
        }

        var exported = await collector.WaitForAsync(received =>
            received.Select(e => e.Signal).Intersect(["traces", "logs"]).Count() == 2
            && Text(received).Contains("/glances/sample-glance", StringComparison.Ordinal)
            && Text(received).Contains("retried", StringComparison.Ordinal));
        exported.Select(e => e.Signal).Should().Contain(["traces", "logs"]);
        var text = Text(exported);
        text.Should().Contain("/glances/sample-glance", "the glance request's span was exported");
        text.Should().Contain("retried", "the failed delivery's warning was exported");
        foreach (var jwt in new[] { webhookJwt, glanceJwt, pageJwt })
        {
            text.Should().NotContain(jwt.Split('.')[1]).And.NotContain(jwt.Split('.')[2]);
        }
    }

    private static string Text(IEnumerable<(string Signal, byte[] Body)> exported) =>
        string.Concat(exported.Select(e => Encoding.UTF8.GetString(e.Body)));

    /// <summary>The add-on exporting traces, metrics and logs over OTLP/HTTP to <paramref name="collector"/>.</summary>
    private sealed class ExportingAddonFactory(DatabaseProvider provider, Uri collector) : AddonApiFactory(provider)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.AbsoluteUri.TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
    }

    /// <summary>An OTLP/HTTP receiver on loopback that keeps every export request's body as it arrived.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Signal, byte[] Body)> _received = new();

        private OtlpCollector(WebApplication app) => _app = app;

        public Uri Endpoint => new(_app.Services.GetRequiredService<IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.First());

        public IReadOnlyList<(string Signal, byte[] Body)> Received => [.. _received];

        /// <summary>What arrived once it satisfies <paramref name="done"/>; throws naming the signals seen if it never does.</summary>
        public async Task<IReadOnlyList<(string Signal, byte[] Body)>> WaitForAsync(
            Func<IReadOnlyList<(string Signal, byte[] Body)>, bool> done)
        {
            var deadline = DateTime.UtcNow + Deliveries.Timeout;
            while (!done(Received) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, Cancellation);
            }

            return done(Received)
                ? Received
                : throw new TimeoutException(
                    $"Waited {Deliveries.Timeout.TotalSeconds:0} s for the expected exports; received: "
                    + string.Join(", ", Received.Select(e => $"{e.Signal} ({e.Body.Length} bytes)")));
        }

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var collector = new OtlpCollector(app);
            app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                collector._received.Enqueue((signal, body.ToArray()));
                return Results.Bytes([], "application/x-protobuf");
            });
            await app.StartAsync(Cancellation);
            return collector;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

public sealed class PostgresTelemetryExportTests() : TelemetryExportTests(DatabaseProvider.Postgres);

public sealed class SqliteTelemetryExportTests() : TelemetryExportTests(DatabaseProvider.Sqlite);
