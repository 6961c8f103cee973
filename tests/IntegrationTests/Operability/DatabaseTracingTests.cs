using System.Collections.Concurrent;
using System.Diagnostics;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CleanAddon.IntegrationTests.Operability;

/// <summary>
/// What the add-on's own tracer provider exports, not merely what .NET emits: database calls are part of the trace.
/// Only Npgsql traces its commands, so this is a PostgreSQL behaviour.
/// </summary>
public sealed class DatabaseTracingTests(DatabaseTracingTests.TracedAddonFactory factory)
    : IClassFixture<DatabaseTracingTests.TracedAddonFactory>
{
    [Fact]
    public async Task Postgres_commands_run_by_a_request_are_exported_as_spans_of_that_requests_trace()
    {
        var installation = factory.HipChat.CreateInstallation(roomId: 4401);

        (await factory.CreateAddonClient().InstallAsync(installation)).EnsureSuccessStatusCode();

        await WaitAsync(() => InstallTraces().Any(), "the install callback's span and an Npgsql span of its trace");
        var install = InstallTraces().First();
        factory.Exported.Should().Contain(
            span => span.Source.Name == "Npgsql" && span.TraceId == install,
            "the install callback stores the installation in PostgreSQL");
    }

    private IEnumerable<ActivityTraceId> InstallTraces() => factory.Exported
        .Where(span => span.Kind == ActivityKind.Server && span.GetTagItem("url.path") as string == AddonClient.Installed)
        .Select(span => span.TraceId)
        .Where(trace => factory.Exported.Any(span => span.Source.Name == "Npgsql" && span.TraceId == trace));

    private async Task WaitAsync(Func<bool> done, string expected)
    {
        var deadline = DateTime.UtcNow + Deliveries.Timeout;
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        done().Should().BeTrue(
            "{0} should have been exported; spans seen: {1}",
            expected,
            string.Join(", ", factory.Exported.Select(span => $"{span.Source.Name} {span.DisplayName}")));
    }

    /// <summary>The add-on with one more processor on its tracer provider, collecting every span it would export.</summary>
    public sealed class TracedAddonFactory : AddonApiFactory<Postgres>
    {
        public ConcurrentQueue<Activity> Exported { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(
                tracing => tracing.AddProcessor(new Collector(Exported))));
        }
    }

    private sealed class Collector(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}
