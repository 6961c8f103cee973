using System.Net;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Glances;

public abstract class GlanceCorsTests(AddonApiFactory factory)
{
    [Fact]
    public async Task A_hipchat_clients_preflight_for_the_glance_is_answered_for_any_origin_without_credentials()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, AddonClient.Glance);
        preflight.Headers.Add("Origin", "https://hipchat.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");

        var response = await factory.CreateAddonClient().SendAsync(preflight, TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("*");
        response.Headers.GetValues("Access-Control-Allow-Methods").Should().Equal("GET");
        response.Headers.GetValues("Access-Control-Allow-Headers").Single().Should().ContainEquivalentOf("authorization");
        response.Headers.Contains("Access-Control-Allow-Credentials").Should().BeFalse();
    }
}

public sealed class PostgresGlanceCorsTests(AddonApiFactory<Postgres> factory)
    : GlanceCorsTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteGlanceCorsTests(AddonApiFactory<Sqlite> factory)
    : GlanceCorsTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
