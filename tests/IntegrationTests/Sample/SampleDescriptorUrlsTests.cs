using CleanAddon.IntegrationTests.Descriptor;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Sample;

/// <summary>The descriptor walk over the add-on that ships: the sample's sidebar and its icon, dialog and glance.</summary>
public sealed class PostgresSampleDescriptorUrlsTests(SampleAnnouncedAddonFactory<Postgres> factory)
    : DescriptorUrlsTests(factory, factory.BaseUrl), IClassFixture<SampleAnnouncedAddonFactory<Postgres>>;

public sealed class SqliteSampleDescriptorUrlsTests(SampleAnnouncedAddonFactory<Sqlite> factory)
    : DescriptorUrlsTests(factory, factory.BaseUrl), IClassFixture<SampleAnnouncedAddonFactory<Sqlite>>;
