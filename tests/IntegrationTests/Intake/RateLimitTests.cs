using System.Net;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Intake;

/// <summary>Each installation's webhooks are limited on their own; beyond the limit, HipChat is told when to come back.</summary>
public abstract class RateLimitTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    [Fact]
    public async Task Webhooks_beyond_an_installations_rate_are_answered_429_with_retry_after_and_others_still_pass()
    {
        var noisy = await factory.InstallAsync(71);
        var quiet = await factory.InstallAsync(72);

        var first = await _client.SendRoomMessageAsync(noisy, 71, "one");
        var second = await _client.SendRoomMessageAsync(noisy, 71, "two");
        var third = await _client.SendRoomMessageAsync(noisy, 71, "three");
        var other = await _client.SendRoomMessageAsync(quiet, 72, "mine");

        first.StatusCode.Should().Be(HttpStatusCode.NoContent);
        second.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await third.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        third.Headers.RetryAfter!.Delta.Should().BePositive();
        other.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await factory.HipChat.WaitForDeliveryAsync(71, "echo two");
        await factory.WaitUntilSettledAsync(noisy.OAuthId);
        factory.HipChat.NotificationsSaying(71, "echo three").Should().BeEmpty();
    }

    /// <summary>Two webhooks at once, then one a minute: a test never waits long enough to earn another.</summary>
    public sealed class TightRateFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Intake:WebhooksPerMinute"] = "1",
            ["Intake:WebhookBurst"] = "2",
        };
    }
}

public sealed class PostgresRateLimitTests(RateLimitTests.TightRateFactory<Postgres> factory)
    : RateLimitTests(factory), IClassFixture<RateLimitTests.TightRateFactory<Postgres>>;

public sealed class SqliteRateLimitTests(RateLimitTests.TightRateFactory<Sqlite> factory)
    : RateLimitTests(factory), IClassFixture<RateLimitTests.TightRateFactory<Sqlite>>;
