using System.Data.Common;
using System.Threading.Channels;
using CleanAddon.Application.Abstractions;
using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.Queues;
using CleanAddon.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.Intake;

/// <summary>
/// Group commit for accepted webhooks: every request waiting at the moment the writer is free goes into one
/// transaction — its de-duplication key inserted with <c>ON CONFLICT DO NOTHING</c>, so that the insert itself finds a
/// redelivery, and its job queued — one commit, one disk flush, and only then is each request told. Durable before its
/// 204 and yet cheap: the technique databases use for their own logs. One writer per instance, on its own connection.
/// </summary>
internal sealed partial class WebhookIntake : IWebhookIntake, IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly IntakeWriter _store;
    private readonly QueuedWork _queued;
    private readonly IntakeOptions _options;
    private readonly TimeProvider _clock;
    private readonly QueueSignals _signals;
    private readonly ILogger<WebhookIntake> _logger;
    private readonly Channel<PendingWebhook> _pending =
        Channel.CreateUnbounded<PendingWebhook>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Task _writer;

    public WebhookIntake(
        IntakeWriter store,
        QueuedWork queued,
        IOptions<IntakeOptions> options,
        TimeProvider clock,
        QueueSignals signals,
        ILogger<WebhookIntake> logger)
    {
        _store = store;
        _queued = queued;
        _options = options.Value;
        _clock = clock;
        _signals = signals;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    public Task<bool> AcceptAsync(AcceptedWebhook webhook, CancellationToken cancellationToken)
    {
        var oAuthId = webhook.Caller.OAuthId;
        string? overflow = null;
        if (!_queued.TryAdd(oAuthId, _options.MaxQueuedPerInstallation))
        {
            overflow = $"Not handled: the installation had {_options.MaxQueuedPerInstallation} items waiting "
                + "(Intake:MaxQueuedPerInstallation).";
            AddonTelemetry.WebhookOverflowed();
            LogOverflowed(oAuthId, webhook.Key, _options.MaxQueuedPerInstallation);
        }

        // Once queued it commits whatever the request does meanwhile, so the request's cancellation is not passed on.
        var pending = new PendingWebhook(webhook, _clock.GetUtcNow(), AddonTelemetry.CurrentTraceParent(), overflow);
        return _pending.Writer.TryWrite(pending)
            ? pending.Committed.Task
            : Task.FromException<bool>(new ObjectDisposedException(nameof(WebhookIntake)));
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
        await _store.DisposeAsync();
    }

    private async Task WriteAsync()
    {
        var batch = new List<PendingWebhook>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<PendingWebhook> batch)
    {
        try
        {
            var queued = await _store.InsertAsync(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Committed.TrySetResult(queued[i]);
            }

            _signals.WebhookJobs.Notify();
        }
        catch (Exception exception) when (batch.Count > 1)
        {
            // One bad webhook (its installation uninstalled a moment ago) must not fail the others: one at a time.
            LogBatchFailed(exception, batch.Count);
            foreach (var pending in batch)
            {
                await CommitAsync([pending]);
            }
        }
        catch (Exception exception)
        {
            batch[0].Committed.TrySetException(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Installation {OAuthId} has {Cap} items waiting: webhook '{Key}' is recorded as a dead letter instead of queued")]
    private partial void LogOverflowed(string oAuthId, string key, int cap);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} accepted webhooks could not be committed together; they are committed one by one")]
    private partial void LogBatchFailed(Exception exception, int count);
}

/// <summary>A webhook waiting for the intake's next commit, and the request waiting for it.</summary>
/// <param name="Webhook">The webhook.</param>
/// <param name="AcceptedAt">When the request accepted it.</param>
/// <param name="TraceParent">The request's trace, which its handling continues.</param>
/// <param name="Overflow">Why it is recorded as a dead letter rather than queued, when it is.</param>
internal sealed record PendingWebhook(AcceptedWebhook Webhook, DateTimeOffset AcceptedAt, string? TraceParent, string? Overflow)
{
    /// <summary>True once queued, false when it was a redelivery.</summary>
    public TaskCompletionSource<bool> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Writes a group of accepted webhooks in one transaction; one implementation per provider.</summary>
internal abstract class IntakeWriter(string connectionString) : IAsyncDisposable
{
    private DbConnection? _connection;

    /// <summary>Inserts the group in one transaction; for each webhook, false when it was a redelivery.</summary>
    public async Task<bool[]> InsertAsync(IReadOnlyList<PendingWebhook> batch)
    {
        _connection ??= await OpenAsync(connectionString);
        try
        {
            return await InsertAsync(_connection, batch);
        }
        catch
        {
            // A broken connection is replaced for the next group.
            await _connection.DisposeAsync();
            _connection = null;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    protected abstract Task<DbConnection> OpenAsync(string connectionString);

    protected abstract Task<bool[]> InsertAsync(DbConnection connection, IReadOnlyList<PendingWebhook> batch);

    protected static WebhookJob JobOf(PendingWebhook pending)
    {
        var webhook = pending.Webhook;
        var job = WebhookJob.Accept(
            webhook.Caller.OAuthId, webhook.RoomId, webhook.Key, webhook.Caller.UserId, webhook.EventJson,
            pending.AcceptedAt, pending.TraceParent);
        if (pending.Overflow is { } reason)
        {
            job.Abandon(reason, pending.AcceptedAt);
        }

        return job;
    }
}
