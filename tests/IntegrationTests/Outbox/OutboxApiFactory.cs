using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>The add-on giving up after four attempts, so dead-lettering is quick to reach and "three failures, then success" is not.</summary>
public sealed class OutboxApiFactory : AddonApiFactory
{
    public const int MaxAttempts = 4;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Outbox:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
