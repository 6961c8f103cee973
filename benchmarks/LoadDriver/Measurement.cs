namespace CleanAddon.LoadDriver;

/// <summary>One scenario: wrk's warm-up, full-load and half-load runs, and the server's CPU time per request at full load.</summary>
internal sealed record Measurement(string Scenario, WrkResult Warmup, WrkResult Max, WrkResult Half, TimeSpan CpuPerRequest);

/// <summary>
/// What one add-on process did besides answering: its start-up, memory, the webhooks it accepted, how many of them
/// its echo handler had run from the durable queue, and how many echoes the emulator had received.
/// </summary>
internal sealed record AddonRun(
    string Provider,
    TimeSpan StartUp,
    double IdleMiB,
    double PeakMiB,
    string OAuthId,
    long WebhooksAccepted,
    Progress Handled,
    Progress Echoed);

/// <summary>A count when the load stopped, and how much it grew in the idle seconds after.</summary>
internal sealed record Progress(long UnderLoad, long After);
