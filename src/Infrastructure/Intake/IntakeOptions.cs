using System.ComponentModel.DataAnnotations;

namespace CleanAddon.Infrastructure.Intake;

/// <summary>
/// Bounds on what one installation can make the add-on take in, so that a noisy or hostile one can neither fill the
/// disk nor delay everyone else's deliveries. The defaults lie far above what a real HipChat group sends; a load test
/// raises them.
/// </summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>Webhooks one installation may send per minute, sustained; beyond it they are answered 429.</summary>
    [Range(1, 60_000_000)]
    public int WebhooksPerMinute { get; set; } = 3_000;

    /// <summary>Webhooks one installation may send at once above the sustained rate.</summary>
    [Range(1, 10_000_000)]
    public int WebhookBurst { get; set; } = 500;

    /// <summary>
    /// Messages (queued webhooks and calls to HipChat) one installation may have waiting; a webhook beyond it is
    /// dead-lettered instead of queued.
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxQueuedPerInstallation { get; set; } = 5_000;
}
