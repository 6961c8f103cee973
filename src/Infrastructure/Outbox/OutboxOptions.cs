using System.ComponentModel.DataAnnotations;

namespace CleanAddon.Infrastructure.Outbox;

public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Calls one delivery may make (token, call, and again after a 401); the lease must outlast them all.</summary>
    public const int LeaseCalls = 4;

    /// <summary>Attempts after which a message is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How often the dispatcher looks for due messages when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed message stays reserved; a crashed instance's messages are retried after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1, 500)]
    public int BatchSize { get; set; } = 32;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long dead letters are kept for operators before the add-on purges them.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(14);
}
