using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Hosting;

/// <summary>
/// The built add-on started as the container image starts it (src/Api/Api.csproj): .NET's images set
/// <c>ASPNETCORE_HTTP_PORTS</c>, the working directory is not the add-on's, and the image keeps its SQLite file in a
/// data directory of the app user's, so this is a SQLite behaviour (a PostgreSQL deployment overrides the store).
/// </summary>
public sealed class ContainerImageTests
{
    [Fact]
    public async Task Started_like_the_container_image_it_listens_on_aspnetcore_http_ports_and_keeps_sqlite_in_the_data_directory()
    {
        var data = Directory.CreateTempSubdirectory("addon-data-").FullName;
        try
        {
            await using var addon = AddonProcess.Start(
                new Dictionary<string, string>
                {
                    ["ASPNETCORE_HTTP_PORTS"] = "0",
                    ["ConnectionStrings__Addon"] = $"Data Source={data}/addon.db",
                },
                [],
                listen: false,
                workingDirectory: "/");

            (await addon.WaitUntilReadyAsync(TimeSpan.FromSeconds(60))).Should().BeTrue(addon.Output);

            addon.ListeningOn.Should().Equal($"http://[::]:{addon.Address.Port}");
            addon.Output.Should().NotContain("Now listening on: http://localhost:5080");
            File.Exists(Path.Combine(data, "addon.db")).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
