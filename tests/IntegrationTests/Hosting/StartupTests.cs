using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CleanAddon.IntegrationTests.Infrastructure;
using Npgsql;

namespace CleanAddon.IntegrationTests.Hosting;

/// <summary>
/// The built add-on as operators start it: the contract's defaults live in code, not in the working directory. With
/// zero configuration the store is SQLite, so those tests are SQLite's; the PostgreSQL start-up line is PostgreSQL's.
/// </summary>
public sealed class StartupTests
{
    private static readonly TimeSpan StartUp = TimeSpan.FromSeconds(60);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Started_from_another_directory_with_zero_configuration_the_add_on_keeps_the_contract_defaults_and_sqlite_in_its_folder()
    {
        var elsewhere = Directory.CreateTempSubdirectory("addon-cwd-").FullName;
        var application = AddonProcess.CopyOfApiOutput();
        try
        {
            await using var addon = AddonProcess.Start(
                new Dictionary<string, string>(), [], workingDirectory: elsewhere, applicationDirectory: application);

            (await addon.WaitUntilReadyAsync(StartUp)).Should().BeTrue(addon.Output);
            using var http = new HttpClient { BaseAddress = addon.Address };
            var descriptor = await http.GetFromJsonAsync<JsonObject>("/capabilities.json", Cancellation);
            var icon = await http.GetAsync("/img/icon.png", Cancellation);

            descriptor!["links"]!["self"]!.GetValue<string>().Should().Be("http://localhost:5080/capabilities.json");
            icon.StatusCode.Should().Be(HttpStatusCode.OK, "wwwroot belongs to the add-on's folder, not the working directory");
            icon.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
            addon.Output.Should().Contain(
                $"CleanAddon descriptor: http://localhost:5080/capabilities.json; store: Sqlite file {Path.Combine(application, "addon.db")}; "
                + "allowed HipChat hosts: api.hipchat.com, www.hipchat.com");
            Directory.EnumerateFileSystemEntries(elsewhere).Should().BeEmpty("nothing is written to the working directory");
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
            Directory.Delete(application, recursive: true);
        }
    }

    [Fact]
    public async Task Published_and_started_from_the_root_directory_with_zero_configuration_on_sqlite_it_is_ready()
    {
        var published = Directory.CreateTempSubdirectory("addon-publish-").FullName;
        try
        {
            // As docs/deploy.md publishes it, less ReadyToRun (a minute of compiling that changes nothing here): what
            // matters is what a publish leaves out, such as EF Core's design-time package.
            var publish = await AddonProcess.RunToEndAsync(
                new ProcessStartInfo("dotnet")
                {
                    ArgumentList =
                    {
                        "publish", Path.Combine(AddonProcess.RepositoryRoot(), "src", "Api"), "-c", AddonProcess.BuildConfiguration,
                        "-o", published, "-p:PublishReadyToRun=false", "--nologo", "-v", "quiet",
                    },
                },
                StartUp);
            publish.ExitCode.Should().Be(0, publish.Output + publish.Error);
            File.Exists(Path.Combine(published, "Microsoft.EntityFrameworkCore.Design.dll")).Should().BeFalse(
                "a publish leaves the design-time package out, which the add-on must start without");

            await using var addon = AddonProcess.Start(
                new Dictionary<string, string>(), [], workingDirectory: "/", applicationDirectory: published);

            (await addon.WaitUntilReadyAsync(StartUp)).Should().BeTrue(addon.Output);
            addon.Output.Should().Contain($"store: Sqlite file {Path.Combine(published, "addon.db")}");
        }
        finally
        {
            Directory.Delete(published, recursive: true);
        }
    }

    [Fact]
    public async Task In_development_with_zero_configuration_on_sqlite_scalar_answers_and_traces_print_to_the_console()
    {
        var application = AddonProcess.CopyOfApiOutput();
        try
        {
            await using var addon = AddonProcess.Start(
                new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, [],
                workingDirectory: Path.GetTempPath(), applicationDirectory: application);

            (await addon.WaitUntilReadyAsync(StartUp)).Should().BeTrue(addon.Output);
            using var http = new HttpClient { BaseAddress = addon.Address };
            var scalar = await http.GetAsync("/scalar", Cancellation);

            scalar.StatusCode.Should().Be(HttpStatusCode.OK);
            addon.Output.Should().Contain("Activity.TraceId:", "the console exporter prints each request's span");
        }
        finally
        {
            Directory.Delete(application, recursive: true);
        }
    }

    [Fact]
    public async Task The_start_up_line_names_a_postgres_store_by_host_and_database_and_never_its_password()
    {
        var connection = new NpgsqlConnectionStringBuilder(await TestDatabase.CreatePostgresAsync())
        {
            Password = "start-up-line-must-not-show-this",
        };
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>
            {
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Addon"] = connection.ConnectionString,
            },
            ["--HipChat:AllowedHosts:2=hipchat.example.com"]);

        (await addon.WaitUntilReadyAsync(StartUp)).Should().BeTrue(addon.Output);

        addon.Output.Should().Contain(
            $"store: Postgres database {connection.Database} on {connection.Host}:{connection.Port}; "
            + "allowed HipChat hosts: api.hipchat.com, www.hipchat.com, hipchat.example.com");
        addon.Output.Should().NotContain(connection.Password);
    }
}
