using CleanAddon.Infrastructure.Persistence;

namespace CleanAddon.UnitTests.Infrastructure.Persistence;

public sealed class StoreLocationTests
{
    private const string ContentRoot = "/opt/cleanaddon";

    [Fact]
    public void A_relative_sqlite_file_lives_in_the_content_root()
    {
        var resolved = StoreLocation.ResolveSqlite("Data Source=data/addon.db;Cache=Shared", ContentRoot);

        resolved.Should().Be("Data Source=/opt/cleanaddon/data/addon.db;Cache=Shared");
    }

    [Theory]
    [InlineData("Data Source=/var/lib/cleanaddon/addon.db")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared;Mode=Memory")]
    [InlineData("Data Source=file:addon.db?cache=shared")]
    public void Absolute_in_memory_and_uri_sources_are_left_as_given(string connectionString)
    {
        StoreLocation.ResolveSqlite(connectionString, ContentRoot).Should().Be(connectionString);
    }

    [Fact]
    public void Without_a_host_the_connection_string_is_left_as_given()
    {
        StoreLocation.ResolveSqlite("Data Source=addon.db", contentRoot: null).Should().Be("Data Source=addon.db");
    }
}
