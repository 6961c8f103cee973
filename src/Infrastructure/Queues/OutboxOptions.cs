using System.ComponentModel.DataAnnotations;

namespace CleanAddon.Infrastructure.Queues;

/// <summary>How the two queues (accepted webhooks, calls to HipChat) are worked (configuration section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Calls one delivery may make (token, call, and again after a 401); the lease must outlast them all.</summary>
    public const int LeaseCalls = 4;

    /// <summary>Attempts after which an item is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How often a worker looks for due items when no commit of this instance woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed item stays reserved; a crashed instance's items are retried after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Items of one room a worker claims at once, and handles or sends one after the other. Under load, one claim, one
    /// commit and one glance update of the room then serve many webhooks (docs/benchmarks.md measures 128 against 32).
    /// </summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 128;

    /// <summary>Rooms each worker handles at the same time (items of one room always go one after the other).</summary>
    [Range(1, 256)]
    public int ConcurrentRooms { get; set; } = 16;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long dead letters are kept for operators before the add-on purges them.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>Whether this instance works the queues (configuration section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>
    /// False for a web-only instance: it accepts webhooks and answers HipChat, and leaves handling them and calling
    /// HipChat to the instances that work the queues.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
