using System.Globalization;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>The add-on giving up after four attempts, so dead-lettering is quick to reach and "three failures, then success" is not.</summary>
public sealed class OutboxApiFactory<TDatabase> : AddonApiFactory<TDatabase>
    where TDatabase : ITestDatabase
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Outbox:MaxAttempts"] = OutboxSettings.MaxAttempts.ToString(CultureInfo.InvariantCulture),
    };
}

public static class OutboxSettings
{
    public const int MaxAttempts = 4;
}
