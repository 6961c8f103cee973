using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CleanAddon.Infrastructure.Telemetry;

namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>
/// Every measurement of the add-on's meter from the moment this is made until it is disposed. The meter is
/// process-wide: a test judges only tags no other test running alongside produces, or runs in
/// <c>ProcessWideMetrics</c>.
/// </summary>
public sealed class AddonMeasurements : IDisposable
{
    private readonly MeterListener _listener;

    public AddonMeasurements()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AddonTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Recorded.Enqueue(
            new Measurement(instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Recorded.Enqueue(
            new Measurement(instrument.Name, (long)value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        _listener.Start();
    }

    /// <summary>What was measured, in order; tags written <c>key=value,…</c> in the order the add-on gave them.</summary>
    public ConcurrentQueue<Measurement> Recorded { get; } = new();

    /// <summary>The sum of an instrument's measurements, of those tagged exactly <paramref name="tags"/> when given.</summary>
    public long Sum(string instrument, string? tags = null) =>
        Recorded.Where(m => m.Instrument == instrument && (tags is null || m.Tags == tags)).Sum(m => m.Value);

    /// <summary>Has the gauges report now rather than when an exporter next asks.</summary>
    public void RecordObservableInstruments() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();
}

public sealed record Measurement(string Instrument, long Value, string Tags);
